/**
 * The NOTIFY channel on which ingest tells every process's workers that executions are waiting. It lives with
 * the runtime, which listens on it, so that ingest depends on the runtime and never the other way round. The
 * name is shared by every process on one database: changing it strands workers of older versions mid-deploy.
 */
export const EXECUTIONS_CHANNEL = 'switchyard_runs';
