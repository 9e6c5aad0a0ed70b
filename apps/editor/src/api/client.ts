/**
 * The admin API over fetch: same-origin cookie session, JSON in and out, one error type. Every call is an operation
 * of `@switchyard/contract`: its method, path and answer type are the ones the server's route is built from. Only
 * the zod-free `routes` are loaded at run time; the schemas are used for their types.
 */
import type {
  ErrorBody,
  ErrorCode,
  Issue,
  OperationAnswer,
  OperationInput,
  Operations,
  TestRunInput,
} from '@switchyard/contract';
import { type RouteName, routes } from '@switchyard/contract/routes';
import type { Environment, ExecutionStatus, Page, PublishTarget, WorkflowDoc } from './types.js';

/** Failures that never reached the server's error answers: no connection, or an answer that is not JSON. */
export type ClientErrorCode = 'network' | 'unexpected_answer';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    /** The server's stable code; switch on it, never on `message`. */
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly issues: Issue[] = [],
    /** The whole error answer, for codes that carry more (version_conflict's `current`). */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever a call answers 401, so the shell can show the login screen. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const BASE = '/admin/api';

/** `/workflows/{id}` with `{ id }`, each parameter URL-encoded. */
export function pathOf(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`missing path parameter ${name} of ${template}`);
    return encodeURIComponent(String(params[name]));
  });
}

function queryOf(params: Record<string, unknown> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).error === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

type Input<K extends RouteName> = OperationInput<Operations[K]>;
type Answer<K extends RouteName> = OperationAnswer<Operations[K]>;

async function send<K extends RouteName>(
  name: K,
  input: Input<K>,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const route = routes[name];
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: object; body?: unknown };
  const path = pathOf(route.path, params);
  const init: RequestInit = { method: route.method.toUpperCase(), credentials: 'same-origin' };
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  init.headers = headers;
  let res: Response;
  try {
    res = await fetch(BASE + path + queryOf(query as Record<string, unknown>), init);
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the server (${(err as Error).message})`);
  }
  if (res.ok) return res;
  const payload: unknown = await res.json().catch(() => undefined);
  if (res.status === 401 && name !== 'login') for (const l of unauthorizedListeners) l();
  if (!isErrorBody(payload))
    throw new ApiError(res.status, 'unexpected_answer', `The server answered ${res.status} ${res.statusText}`.trim());
  throw new ApiError(res.status, payload.error, payload.message, payload.issues ?? [], payload);
}

/** One call of the contract; the answer has the type of the operation's answer schema. */
export async function call<K extends RouteName>(
  name: K,
  input: Input<K>,
  headers?: Record<string, string>,
): Promise<Answer<K>> {
  const res = await send(name, input, headers);
  if (res.status === 204) return undefined as Answer<K>;
  return (await res.json()) as Answer<K>;
}

type PagedRoute = { [K in RouteName]: (typeof routes)[K] extends { paged: true } ? K : never }[RouteName];

/** One page of a paged operation: its items and the X-Next-Cursor for the next page. */
async function page<K extends PagedRoute>(
  name: K,
  input: Input<K>,
): Promise<Page<Answer<K> extends readonly (infer T)[] ? T : never>> {
  const res = await send(name, input);
  return { items: await res.json(), nextCursor: res.headers.get('X-Next-Cursor') };
}

const cursor = (c: string | null | undefined) => c ?? undefined;

export const api = {
  session: () => call('getSession', {}),
  login: (token: string) => call('login', { body: { token } }),
  logout: () => call('logout', {}),

  connection: (env: Environment) => call('getConnection', { params: { env } }),
  saveConnection: (env: Environment, input: Input<'putConnection'>['body']) =>
    call('putConnection', { params: { env }, body: input }),
  stripeRegistration: (env: Environment) => call('stripeRegistration', { params: { env } }),
  /** `confirm` registers although the key's mode does not fit the environment (the server answers 409 mode_mismatch otherwise). */
  registerStripe: (env: Environment, opts: { confirm?: boolean } = {}) =>
    call('registerStripe', { params: { env }, body: opts.confirm ? { confirm: true } : {} }),
  deregisterStripe: (env: Environment) => call('deregisterStripe', { params: { env } }),
  /** `since`: unix seconds, at most 30 days back; the server defaults to 3 days. */
  reconcileStripe: (env: Environment, since?: number) =>
    call('reconcileStripe', { params: { env }, body: since === undefined ? {} : { since } }),

  events: (env: Environment, opts: { limit?: number; type?: string; cursor?: string | null } = {}) =>
    page('listEvents', {
      params: { env },
      query: { limit: opts.limit ?? 50, type: opts.type, cursor: cursor(opts.cursor) },
    }),
  event: (env: Environment, eventId: string) => call('getEvent', { params: { env, eventId } }),
  /** The new executions, one per matching workflow, each with its `id`. */
  replayEvent: (env: Environment, eventId: string, opts: { workflowId?: string; version?: number } = {}) =>
    call('replayEvent', { params: { env, eventId }, body: opts }),

  workflows: () => call('listWorkflows', {}),
  workflow: (id: string) => call('getWorkflow', { params: { id } }),
  createWorkflow: (doc: WorkflowDoc) => call('createWorkflow', { body: doc }),
  /** Import and duplicate: the new workflow starts paused in the editor environment. */
  importWorkflow: (doc: WorkflowDoc) => call('importWorkflow', { body: doc }),
  deployments: () => call('listDeployments', {}),
  /** Pause (false) or resume (true) a workflow in one environment. */
  setDeployment: (id: string, env: Environment, enabled: boolean) =>
    call('setDeployment', { params: { id, env }, body: { enabled } }),
  /** Save: a new version. With `etag`, a workflow changed since then answers 412 version_conflict and saves nothing. */
  saveWorkflow: (id: string, doc: WorkflowDoc, etag?: string) =>
    call('updateWorkflow', { params: { id }, body: doc }, etag ? { 'If-Match': etag } : {}),
  /** Autosave: the draft, no version; `etag` as for saveWorkflow. */
  saveDraft: (id: string, doc: WorkflowDoc, etag?: string) =>
    call('saveDraft', { params: { id }, body: doc }, etag ? { 'If-Match': etag } : {}),
  deleteWorkflow: (id: string) => call('deleteWorkflow', { params: { id } }),
  versions: (id: string) => call('listVersions', { params: { id } }),
  version: (id: string, version: number) => call('getVersion', { params: { id, version } }),
  publish: (id: string, environment: PublishTarget, version?: number) =>
    call('publishWorkflow', {
      params: { id },
      body: version === undefined ? { environment } : { environment, version },
    }),
  /** A sample event (any JSON the user typed; the server takes only an object) or a stored event's id. */
  testRun: (id: string, source: { event: unknown } | { eventId: string }) => {
    const body: TestRunInput | null =
      'eventId' in source ? { eventId: source.eventId } : isObject(source.event) ? { event: source.event } : null;
    if (!body) return Promise.reject(new ApiError(400, 'invalid_request', 'The sample event must be a JSON object.'));
    return call('testRun', { params: { id }, body });
  },

  /** The search: every filter narrows; `deadLetter` keeps the failed runs not retried yet. */
  executionsPage: (filter: {
    environment?: Environment;
    status?: ExecutionStatus | undefined;
    eventId?: string | undefined;
    workflowId?: string | undefined;
    type?: string | undefined;
    objectId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    deadLetter?: boolean | undefined;
    cursor?: string | null;
    limit?: number;
  }) =>
    page('listExecutions', {
      query: {
        ...filter,
        deadLetter: filter.deadLetter ? 'true' : undefined,
        cursor: cursor(filter.cursor),
        limit: filter.limit ?? 50,
      },
    }),
  execution: (id: string) => call('getExecution', { params: { id } }),
  /** 'same': the version the failed run ran; 'latest': the workflow's latest saved version. */
  retryExecution: (id: string, version: 'same' | 'latest' = 'same') =>
    call('retryExecution', { params: { id }, body: { version } }),
  /** One bounded batch of a bulk retry: call again while `remaining` > 0. */
  retryExecutions: (body: Input<'retryExecutions'>['body']) => call('retryExecutions', { body }),

  secrets: (env: Environment) => call('listSecrets', { params: { env } }),
  /** The value is write-only: the answer holds its mask. */
  putSecret: (env: Environment, name: string, value: string) =>
    call('putSecret', { params: { env, name }, body: { value } }),
  deleteSecret: (env: Environment, name: string) => call('deleteSecret', { params: { env, name } }),
  vars: (env: Environment) => call('listVars', { params: { env } }),
  putVar: (env: Environment, name: string, value: unknown) =>
    call('putVar', { params: { env, name }, body: { value } }),
  deleteVar: (env: Environment, name: string) => call('deleteVar', { params: { env, name } }),

  smtp: (env: Environment) => call('getSmtp', { params: { env } }),
  /** `url` omitted keeps the stored server; null removes the environment's settings. */
  saveSmtp: (env: Environment, input: { url?: string | null; from: string | null }) =>
    call('putSmtp', { params: { env }, body: input }),
  testSmtp: (env: Environment, to: string) => call('testSmtp', { params: { env }, body: { to } }),

  /** The last 100 refused deliveries, newest first. */
  rejections: (env: Environment) => call('listRejections', { params: { env } }),
  alerts: (env: Environment) => call('getAlerts', { params: { env } }),
  /** `webhookUrl` omitted keeps the stored one; null removes it. */
  saveAlerts: (env: Environment, input: { email?: string | null; webhookUrl?: string | null }) =>
    call('putAlerts', { params: { env }, body: input }),
  testAlert: (env: Environment) => call('testAlert', { params: { env } }),

  tables: (env: Environment) => call('listTables', { params: { env } }),
  /** `key`: only rows whose key starts with it; `q`: only rows whose key or a value contains it. */
  tableRows: (
    env: Environment,
    table: string,
    opts: { limit?: number; cursor?: string | null; key?: string; q?: string } = {},
  ) =>
    page('listRows', {
      params: { env, table },
      query: {
        limit: opts.limit ?? 50,
        cursor: cursor(opts.cursor),
        key: opts.key || undefined,
        q: opts.q || undefined,
      },
    }),
  /** Where the browser downloads the table as CSV (the session cookie authenticates a plain link). */
  tableExportUrl: (env: Environment, table: string) => BASE + pathOf(routes.exportTable.path, { env, table }),
  /** Creates the row (and its table) or replaces its values. */
  putRow: (env: Environment, table: string, key: string, values: Record<string, unknown>) =>
    call('putRow', { params: { env, table, key }, body: { values } }),
  deleteRow: (env: Environment, table: string, key: string) => call('deleteRow', { params: { env, table, key } }),
};

/** A message fit for the UI: the server's own sentence; callers that need to act on a failure switch on `code`. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
