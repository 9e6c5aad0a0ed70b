import { api } from '../../api/client.js';
import { errorText } from '../../components/format.js';
import { JsonView } from '../../components/JsonView.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useAsync } from '../../components/useAsync.js';

/** One execution's steps with their payloads: the search hit has node and status only, the detail has the rest. */
export function ExecutionSteps({ id }: { id: string }) {
  const detail = useAsync(() => api.execution(id), [id]);
  if (detail.error)
    return (
      <p className="error" role="alert">
        Could not load the steps: {detail.error}
      </p>
    );
  if (!detail.data) return <p className="muted">Loading steps…</p>;
  const run = detail.data;
  return (
    <section className="execution-steps" aria-label={`Steps of execution ${id}`}>
      {run.error && <p className="field-error">{errorText(run.error)}</p>}
      {run.steps.length === 0 && <p className="muted">No step recorded yet.</p>}
      <ol className="list">
        {run.steps.map((s) => (
          <li key={s.stepKey}>
            <div className="row">
              <code>{s.nodeId}</code> <span className="muted">{s.nodeType}</span> <StatusBadge status={s.status} />
              {s.attempt > 1 && <span className="muted">attempt {s.attempt}</span>}
            </div>
            {s.error && <div className="field-error small">{s.error}</div>}
            {s.output !== null && s.output !== undefined && (
              <JsonView value={s.output} label={`Output of ${s.nodeId}`} />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
