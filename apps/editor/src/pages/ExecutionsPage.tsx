import { Fragment, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Environment, ExecutionSummary } from '../api/types.js';
import { errorText, formatDuration, formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useAsync } from '../components/useAsync.js';
import { usePaged } from '../components/usePaged.js';
import { href, useRoute } from '../router.js';
import { BulkRetryBar } from './executions/BulkRetryBar.js';
import { ExecutionFilters } from './executions/ExecutionFilters.js';
import { ExecutionSteps } from './executions/ExecutionSteps.js';
import { type ExecutionSearch, searchFromParams, searchQuery } from './executions/filters.js';
import { type RetryVersion, useBulkRetry } from './executions/useBulkRetry.js';

type View = 'all' | 'dead';

/** A failed run nobody has retried yet: what the checkboxes and bulk retry act on. */
const retryable = (r: ExecutionSummary) => r.status === 'failed' && !r.retriedAt;

/** Runs in this environment: search, the dead-letter view, retries one by one or in bulk. */
export function ExecutionsPage({ env }: { env: Environment }) {
  const route = useRoute();
  const eventId = route.params.get('eventId') ?? undefined;
  const [view, setView] = useState<View>('all');
  const [search, setSearch] = useState<ExecutionSearch>(() => searchFromParams(route.params));
  const query = { environment: env, eventId, ...searchQuery(search, view === 'dead') };
  // biome-ignore lint/correctness/useExhaustiveDependencies: `query` is rebuilt every render; its inputs are the deps, the search compared by value
  const runs = usePaged(
    (cursor) => api.executionsPage({ ...query, cursor }),
    [env, eventId, view, JSON.stringify(search)],
  );
  const workflows = useAsync(() => api.workflows(), []);
  const names = new Map((workflows.data ?? []).map((w) => [w.id, w.name]));
  const [message, setMessage] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const bulk = useBulkRetry(runs.reload);

  const retry = async (run: ExecutionSummary, version: RetryVersion) => {
    setMessage(null);
    try {
      const next = await api.retryExecution(run.id, version);
      setMessage(`Retry started (${next.id}) on v${next.workflowVersion}.`);
      runs.reload();
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const selectable = runs.items.filter(retryable);
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.id));

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
        <button type="button" className="btn ghost" onClick={runs.reload}>
          Refresh
        </button>
      </header>
      <div className="row tabs" role="tablist" aria-label="Executions view">
        {(['all', 'dead'] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={`btn ${view === v ? 'primary' : 'ghost'}`}
            onClick={() => {
              setView(v);
              setSelected(new Set());
            }}
          >
            {v === 'all' ? 'All' : 'Dead letter'}
          </button>
        ))}
      </div>
      {view === 'dead' && (
        <p className="muted">Failed runs whose retries are spent and that nobody has retried yet, newest first.</p>
      )}
      <ExecutionFilters
        value={search}
        workflows={workflows.data ?? []}
        showStatus={view === 'all'}
        onApply={(next) => {
          setSearch(next);
          setSelected(new Set());
        }}
      />
      <BulkRetryBar
        selected={selected.size}
        canRetryMatching={view === 'dead' || search.status === '' || search.status === 'failed'}
        progress={bulk.progress}
        onClearSelection={() => setSelected(new Set())}
        onRetrySelected={(version) => {
          const ids = [...selected];
          setSelected(new Set());
          void bulk.retrySelected(ids, version);
        }}
        onRetryMatching={(version) =>
          void bulk.retryMatching(
            {
              environment: env,
              workflowId: query.workflowId,
              type: query.type,
              objectId: query.objectId,
              from: query.from,
              to: query.to,
            },
            version,
          )
        }
      />
      {message && <p role="status">{message}</p>}
      {runs.error && (
        <p className="error" role="alert">
          {runs.error}
        </p>
      )}
      {runs.items.length === 0 && !runs.loading && !runs.error && (
        <p className="muted card empty">{view === 'dead' ? 'No dead-lettered runs.' : 'No executions match.'}</p>
      )}
      {runs.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="Select every failed run shown"
                  checked={allSelected}
                  disabled={selectable.length === 0}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((r) => r.id)))}
                />
              </th>
              <th>Workflow</th>
              <th>Event</th>
              <th>Object</th>
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
              <Fragment key={r.id}>
                <tr className={selected.has(r.id) ? 'selected' : undefined}>
                  <td>
                    {retryable(r) && (
                      <input
                        type="checkbox"
                        aria-label={`Select execution ${r.id}`}
                        checked={selected.has(r.id)}
                        onChange={() => toggle(r.id)}
                      />
                    )}
                  </td>
                  <td>
                    <Link href={href(env, 'workflows', r.workflowId, { execution: r.id })}>
                      {names.get(r.workflowId) ?? r.workflowId}
                    </Link>{' '}
                    <span className="muted">v{r.workflowVersion}</span>
                  </td>
                  <td>
                    <Link href={href(env, 'events', r.eventId)}>{r.eventType}</Link>
                  </td>
                  <td>{r.objectId ? <code>{r.objectId}</code> : <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={r.status} />
                    {r.origin && r.origin !== 'event' && <span className="badge">{r.origin}</span>}
                    {r.retriedAt && <span className="badge">retried</span>}
                    {r.attempt > 1 && <span className="muted"> attempt {r.attempt}</span>}
                    {r.error != null && <div className="field-error small">{errorText(r.error)}</div>}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn small ghost"
                      aria-expanded={open === r.id}
                      aria-label={`Steps of execution ${r.id}`}
                      onClick={() => setOpen(open === r.id ? null : r.id)}
                    >
                      {r.steps.length} {r.steps.length === 1 ? 'step' : 'steps'}
                    </button>
                  </td>
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
                {open === r.id && (
                  <tr>
                    <td colSpan={9}>
                      <ExecutionSteps id={r.id} />
                    </td>
                  </tr>
                )}
              </Fragment>
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
