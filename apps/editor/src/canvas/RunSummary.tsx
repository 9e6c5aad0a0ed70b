import { CircleCheck, CircleMinus, CircleX, Play, RotateCcw } from 'lucide-react';
import type { Environment, Execution, ExecutionStep } from '../api/types.js';
import { errorText, formatDuration, formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href } from '../router.js';
import { stepTitle } from './StepNodeView.js';
import { useCanvasStore } from './store/context.js';
import { useRunActions } from './useRunActions.js';

const STEP_ICON = { succeeded: CircleCheck, failed: CircleX, skipped: CircleMinus } as const;

const msBetween = (a: string | null, b: string | null) =>
  a && b ? Math.max(0, new Date(b).getTime() - new Date(a).getTime()) : 0;

/** In run view with nothing selected: the story of the run, its steps in order with their durations, and what to do next. */
export function RunSummary({ env, workflowId, inView }: { env: Environment; workflowId: string; inView: Execution }) {
  const execution = useCanvasStore((s) => s.run?.execution) ?? inView;
  const nodes = useCanvasStore((s) => s.nodes);
  const onNodesChange = useCanvasStore((s) => s.onNodesChange);
  const { retry, replay, message } = useRunActions(env, workflowId, execution);
  const steps = [...execution.steps].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const start = execution.startedAt ?? steps[0]?.startedAt ?? null;
  const end = execution.finishedAt ?? steps.at(-1)?.finishedAt ?? null;
  const total = Math.max(1, msBetween(start, end));
  const titleOf = (s: ExecutionStep) => {
    const node = nodes.find((n) => n.id === s.nodeId);
    return node ? stepTitle(node.data) : s.nodeId;
  };
  const select = (id: string) =>
    onNodesChange(nodes.map((n) => ({ id: n.id, type: 'select' as const, selected: n.id === id })));

  return (
    <section className="run-summary" aria-label="Run summary">
      <header className="run-summary-head">
        <h2 className="run-summary-title">Run summary</h2>
        <StatusBadge status={execution.status} />
      </header>
      <dl className="run-facts">
        <dt>Duration</dt>
        <dd>{formatDuration(start, end)}</dd>
        <dt>Version</dt>
        <dd>v{execution.workflowVersion}</dd>
        <dt>Event</dt>
        <dd>
          <Link href={href(execution.environment, 'events', execution.eventId)}>
            <code>{execution.eventType}</code>
          </Link>
          <span className="muted small block">{execution.eventId}</span>
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(start)}</dd>
        <dt>Origin</dt>
        <dd>
          {execution.origin}
          {execution.attempt > 1 ? ` · attempt ${execution.attempt}` : ''}
        </dd>
      </dl>
      {execution.error && (
        <p className="error run-error" role="alert">
          {execution.errorNodeId ? `${execution.errorNodeId}: ` : ''}
          {errorText(execution.error)}
        </p>
      )}
      <h3 className="run-summary-sub">Steps</h3>
      {steps.length === 0 ? (
        <p className="muted">No step has run yet.</p>
      ) : (
        <ol className="timeline" aria-label="Steps">
          {steps.map((s) => {
            const Icon = STEP_ICON[s.status];
            const ms = msBetween(s.startedAt, s.finishedAt);
            const left = (msBetween(start, s.startedAt) / total) * 100;
            return (
              <li key={s.stepKey} className={`timeline-step ${s.status}`}>
                <button type="button" className="timeline-row" onClick={() => select(s.nodeId)}>
                  <Icon size={15} aria-label={s.status} />
                  <span className="timeline-name" title={`${titleOf(s)} (${s.stepKey})`}>
                    {titleOf(s)}
                  </span>
                  <span className="timeline-ms">{ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`}</span>
                </button>
                <span className="timeline-track" aria-hidden="true">
                  <span
                    className="timeline-bar"
                    style={{ left: `${Math.min(left, 98)}%`, width: `${Math.max(2, (ms / total) * 100)}%` }}
                  />
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div className="run-actions">
        {execution.status === 'failed' && (
          <>
            <button
              type="button"
              className="btn small primary"
              onClick={() => void retry('same')}
              title={`Resume from the failed step on v${execution.workflowVersion}, the version that failed`}
            >
              <RotateCcw size={14} aria-hidden="true" /> Retry (same version)
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
          <Play size={14} aria-hidden="true" /> Replay event
        </button>
      </div>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
