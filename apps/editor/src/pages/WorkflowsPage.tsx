import { type ChangeEvent, useRef, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import {
  type Deployment,
  ENVIRONMENTS,
  type Environment,
  type WorkflowDoc,
  type WorkflowSummary,
} from '../api/types.js';
import { formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { useAsync } from '../components/useAsync.js';
import { href, navigate } from '../router.js';
import { CreateWorkflowDialog } from './CreateWorkflowDialog.js';
import { downloadJson, readJsonFile } from './files.js';

export function WorkflowsPage({ env }: { env: Environment }) {
  const list = useAsync(async () => {
    const [workflows, deployments] = await Promise.all([api.workflows(), api.deployments()]);
    return { workflows, deployments };
  }, []);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const act = async (what: () => Promise<string | undefined>) => {
    setMessage(null);
    try {
      const text = await what();
      if (text) setMessage({ kind: 'ok', text });
      list.reload();
    } catch (err) {
      const issues =
        err instanceof ApiError && err.issues.length
          ? ` — ${err.issues
              .slice(0, 3)
              .map((i) => `${i.path}: ${i.message}`)
              .join('; ')}`
          : '';
      setMessage({ kind: 'error', text: describeError(err) + issues });
    }
  };

  const rename = (w: WorkflowSummary) => {
    const name = window.prompt('New name', w.name)?.trim();
    if (!name || name === w.name) return;
    void act(async () => {
      const rec = await api.workflow(w.id);
      // A pending draft is renamed as a draft, so renaming never drops unsaved edits.
      if (rec.draft) await api.saveDraft(w.id, { ...rec.draft, name }, rec.etag);
      else await api.saveWorkflow(w.id, { ...rec.document, name }, rec.etag);
      return `Renamed to “${name}”.`;
    });
  };

  const duplicate = (w: WorkflowSummary) =>
    act(async () => {
      const rec = await api.workflow(w.id);
      // A copy listens to the same events: it starts paused, or one event would run both (twice the side effects).
      const copy = await api.importWorkflow({ ...rec.document, name: `${rec.name} (copy)` });
      return `Created “${copy.name}”, paused in the editor environment until you turn it on.`;
    });

  const toggle = (w: WorkflowSummary, d: Deployment) =>
    act(async () => {
      await api.setDeployment(w.id, d.environment, !d.enabled);
      return `“${w.name}” ${d.enabled ? 'paused' : 'resumed'} in ${d.environment}.`;
    });

  const remove = (w: WorkflowSummary) => {
    if (!window.confirm(`Delete “${w.name}” and all its versions? Executions already recorded are kept.`)) return;
    void act(async () => {
      await api.deleteWorkflow(w.id);
      return `Deleted “${w.name}”.`;
    });
  };

  const exportOne = (w: WorkflowSummary) =>
    act(async () => {
      const rec = await api.workflow(w.id);
      downloadJson(`${slug(rec.name)}.workflow.json`, rec.document);
      return undefined;
    });

  const importFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void act(async () => {
      const doc = (await readJsonFile(file)) as WorkflowDoc;
      const rec = await api.importWorkflow(doc);
      return `Imported “${rec.name}”, paused in the editor environment until you turn it on.`;
    });
  };

  return (
    <div className="page">
      <header className="page-head row spread">
        <div>
          <h1>Workflows</h1>
          <p className="muted">
            Each workflow starts on one trigger: a family of Stripe events, or the event types you pick. The editor
            environment runs the latest saved version; staging and production run what was published to them.
          </p>
        </div>
        <div className="row">
          <button type="button" className="btn" onClick={() => fileRef.current?.click()}>
            Import JSON
          </button>
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            hidden
            onChange={importFile}
            aria-label="Import workflow file"
          />
          <button type="button" className="btn primary" onClick={() => setCreating(true)}>
            New workflow
          </button>
        </div>
      </header>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {list.data && list.data.workflows.length === 0 && (
        <div className="card empty">
          <p>No workflows yet.</p>
          <button type="button" className="btn primary" onClick={() => setCreating(true)}>
            Create the first one
          </button>
        </div>
      )}
      {list.data && list.data.workflows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest version</th>
              <th>Editor</th>
              <th>Staging</th>
              <th>Production</th>
              <th>Updated</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.workflows.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link href={href(env, 'workflows', w.id)}>{w.name}</Link>
                </td>
                <td>v{w.version}</td>
                {ENVIRONMENTS.map((e) => (
                  <td key={e}>
                    <DeploymentCell
                      workflow={w}
                      deployment={list.data?.deployments.find((d) => d.workflowId === w.id && d.environment === e)}
                      onToggle={(d) => void toggle(w, d)}
                    />
                  </td>
                ))}
                <td>{formatTime(w.updatedAt)}</td>
                <td className="row-actions">
                  <button type="button" className="btn small" onClick={() => rename(w)}>
                    Rename
                  </button>
                  <button type="button" className="btn small" onClick={() => void duplicate(w)}>
                    Duplicate
                  </button>
                  <button type="button" className="btn small" onClick={() => void exportOne(w)}>
                    Export
                  </button>
                  <button type="button" className="btn small danger" onClick={() => remove(w)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateWorkflowDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          navigate(href(env, 'workflows', id));
        }}
      />
    </div>
  );
}

/** What one environment runs of the workflow, and a switch to pause or resume it there. */
function DeploymentCell({
  workflow,
  deployment,
  onToggle,
}: {
  workflow: WorkflowSummary;
  deployment: Deployment | undefined;
  onToggle: (d: Deployment) => void;
}) {
  if (!deployment) return <span className="muted">not published</span>;
  const { environment, version, enabled } = deployment;
  return (
    <span className="row" data-testid={`deployment-${environment}`}>
      {environment !== 'editor' && <span>v{version}</span>}
      {environment !== 'editor' && version < workflow.version && (
        <span className="badge status-pending" title="A newer version is saved">
          behind
        </span>
      )}
      <label className="toggle" title={enabled ? 'Runs on matching events' : 'Events are stored but run nothing'}>
        <input
          type="checkbox"
          checked={enabled}
          onChange={() => onToggle(deployment)}
          aria-label={`${workflow.name} on in ${environment}`}
        />
        <span className={enabled ? 'ok' : 'badge status-pending'}>{enabled ? 'on' : 'paused'}</span>
      </label>
    </span>
  );
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'workflow'
  );
}
