import type { Environment, Execution } from '../api/types.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href } from '../router.js';
import { useCanvasStore } from './store/context.js';

/** In run view: which run is drawn and its outcome; the run summary beside the canvas tells the rest. */
export function RunBanner({ env, workflowId, inView }: { env: Environment; workflowId: string; inView: Execution }) {
  // The polled execution once loaded, so the status follows a run still in progress.
  const execution = useCanvasStore((s) => s.run?.execution) ?? inView;
  return (
    <div className="run-banner" role="status">
      <span>
        Run on v{execution.workflowVersion} in {execution.environment} for <code>{execution.eventType}</code>:{' '}
        <StatusBadge status={execution.status} />
      </span>
      <Link className="btn small ghost" href={href(env, 'workflows', workflowId)}>
        Back to editing
      </Link>
    </div>
  );
}
