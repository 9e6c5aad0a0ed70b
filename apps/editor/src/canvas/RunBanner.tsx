import { useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Environment, Execution } from '../api/types.js';
import { errorText } from '../components/format.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href, navigate } from '../router.js';
import { useCanvasStore } from './store/context.js';

/** In run view: which run is drawn, its outcome, and retry, replay or back to editing. */
export function RunBanner({ env, workflowId, inView }: { env: Environment; workflowId: string; inView: Execution }) {
  // The polled execution once loaded, so the status follows a run still in progress.
  const execution = useCanvasStore((s) => s.run?.execution) ?? inView;
  const [message, setMessage] = useState<string | null>(null);
  const retry = async (version: 'same' | 'latest') => {
    try {
      const next = await api.retryExecution(execution.id, version);
      navigate(href(env, 'workflows', workflowId, { execution: next.id }));
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  const replay = async () => {
    try {
      const runs = await api.replayEvent(execution.environment, execution.eventId, {
        workflowId,
        version: execution.workflowVersion,
      });
      const first = runs[0];
      if (first) navigate(href(env, 'workflows', workflowId, { execution: first.id }));
      else setMessage('The event does not match this workflow any more.');
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  return (
    <div className="run-banner" role="status">
      <span>
        Run on v{execution.workflowVersion} in {execution.environment} for <code>{execution.eventType}</code>:{' '}
        <StatusBadge status={execution.status} />
      </span>
      {execution.error != null && <span className="field-error">{errorText(execution.error)}</span>}
      {execution.status === 'failed' && (
        <>
          <button
            type="button"
            className="btn small"
            onClick={() => void retry('same')}
            title={`Resume from the failed step on v${execution.workflowVersion}, the version that failed`}
          >
            Retry (same version)
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => void retry('latest')}
            title="Resume from the failed step on the latest saved version, e.g. after a fix; Replay runs from the start"
          >
            Retry on latest version
          </button>
        </>
      )}
      <button type="button" className="btn small" onClick={() => void replay()}>
        Replay event
      </button>
      <Link className="btn small ghost" href={href(env, 'workflows', workflowId)}>
        Back to editing
      </Link>
      {message && <span className="field-error">{message}</span>}
    </div>
  );
}
