import { useState } from 'react';
import { api, describeError } from '../api/client.js';
import { type Environment, EXECUTION_STATUSES, type Execution } from '../api/types.js';
import { errorText, formatDuration, formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useAsync } from '../components/useAsync.js';
import { usePaged } from '../components/usePaged.js';
import { href, useRoute } from '../router.js';

const STATUSES = ['', ...EXECUTION_STATUSES] as const;

/** Runs in this environment; opening one draws its path on the workflow canvas. */
export function ExecutionsPage({ env }: { env: Environment }) {
  const route = useRoute();
  const eventId = route.params.get('eventId') ?? undefined;
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const runs = usePaged(
    (cursor) => api.executionsPage({ environment: env, status: status || undefined, eventId, cursor }),
    [env, status, eventId],
  );
  const names = useAsync(() => api.workflows().then((ws) => new Map(ws.map((w) => [w.id, w.name]))), []);
  const [message, setMessage] = useState<string | null>(null);

  const retry = async (run: Execution, version: 'same' | 'latest') => {
    setMessage(null);
    try {
      const next = await api.retryExecution(run.id, version);
      setMessage(`Retry started (${next.id}) on v${next.workflowVersion}.`);
      runs.reload();
    } catch (err) {
      setMessage(describeError(err));
    }
  };

  return (
    <div className="page">
      <header className="page-head row spread">
        <div>
          <h1>Executions</h1>
          <p className="muted">
            Workflow executions in <strong>{env}</strong>
            {eventId && (
              <>
                {' '}
                for event <code>{eventId}</code> (<Link href={href(env, 'executions')}>all</Link>)
              </>
            )}
            .
          </p>
        </div>
        <div className="row">
          <label className="row">
            <span>Status</span>
            <select
              value={status}
              onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}
              aria-label="Status filter"
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s || 'any'}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn ghost" onClick={runs.reload}>
            Refresh
          </button>
        </div>
      </header>
      {message && <p role="status">{message}</p>}
      {runs.error && (
        <p className="error" role="alert">
          {runs.error}
        </p>
      )}
      {runs.items.length === 0 && !runs.loading && !runs.error && (
        <p className="muted card empty">No executions yet.</p>
      )}
      {runs.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Event</th>
              <th>Status</th>
              <th>Steps</th>
              <th>Started</th>
              <th>Duration</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={href(env, 'workflows', r.workflowId, { execution: r.id })}>
                    {names.data?.get(r.workflowId) ?? r.workflowId}
                  </Link>{' '}
                  <span className="muted">v{r.workflowVersion}</span>
                </td>
                <td>
                  <Link href={href(env, 'events', r.eventId)}>{r.eventType}</Link>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.origin && r.origin !== 'event' && <span className="badge">{r.origin}</span>}
                  {r.attempt > 1 && <span className="muted"> attempt {r.attempt}</span>}
                  {r.error != null && <div className="field-error small">{errorText(r.error)}</div>}
                </td>
                <td>{r.steps.length}</td>
                <td>{formatTime(r.startedAt ?? r.createdAt)}</td>
                <td>{formatDuration(r.startedAt, r.finishedAt)}</td>
                <td className="row-actions">
                  <Link className="btn small" href={href(env, 'workflows', r.workflowId, { execution: r.id })}>
                    Open on canvas
                  </Link>
                  {r.status === 'failed' && (
                    <>
                      <button
                        type="button"
                        className="btn small"
                        onClick={() => void retry(r, 'same')}
                        title={`Resume from the failed step on v${r.workflowVersion}, the version that failed: for a passing outage`}
                      >
                        Retry (same version)
                      </button>
                      <button
                        type="button"
                        className="btn small"
                        onClick={() => void retry(r, 'latest')}
                        title="Resume from the failed step on the latest saved version: after fixing the workflow"
                      >
                        Retry on latest version
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs.nextCursor && (
        <button type="button" className="btn" onClick={runs.more} disabled={runs.loading}>
          Load more
        </button>
      )}
    </div>
  );
}
