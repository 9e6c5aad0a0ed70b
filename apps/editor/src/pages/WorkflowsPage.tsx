import { type ChangeEvent, useRef, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { Environment, WorkflowDoc, WorkflowSummary } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { useAsync } from '../components/useAsync.js';
import { href, navigate } from '../router.js';
import { CreateWorkflowDialog } from './CreateWorkflowDialog.js';
import { downloadJson, readJsonFile } from './files.js';

export function WorkflowsPage({ env }: { env: Environment }) {
  const list = useAsync(() => api.workflows(), []);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const act = async (what: () => Promise<string | void>) => {
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
      const copy = await api.createWorkflow({ ...rec.document, name: `${rec.name} (copy)` });
      return `Created “${copy.name}”.`;
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
    });

  const importFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void act(async () => {
      const doc = (await readJsonFile(file)) as WorkflowDoc;
      const rec = await api.createWorkflow(doc);
      return `Imported “${rec.name}”.`;
    });
  };

  return (
    <div className="page">
      <header className="page-head row spread">
        <div>
          <h1>Workflows</h1>
          <p className="muted">
            Each workflow reacts to one family of Stripe events. The editor environment runs the latest saved version;
            staging and production run what was published to them.
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
      {list.data && list.data.length === 0 && (
        <div className="card empty">
          <p>No workflows yet.</p>
          <button type="button" className="btn primary" onClick={() => setCreating(true)}>
            Create the first one
          </button>
        </div>
      )}
      {list.data && list.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest version</th>
              <th>Staging</th>
              <th>Production</th>
              <th>Updated</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link href={href(env, 'workflows', w.id)}>{w.name}</Link>
                </td>
                <td>v{w.version}</td>
                <td>
                  <PublishedCell version={w.published.staging} latest={w.version} />
                </td>
                <td>
                  <PublishedCell version={w.published.production} latest={w.version} />
                </td>
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

function PublishedCell({ version, latest }: { version: number | null; latest: number }) {
  if (version === null) return <span className="muted">not published</span>;
  return (
    <span>
      v{version}{' '}
      {version < latest && (
        <span className="badge status-pending" title="A newer version is saved">
          behind
        </span>
      )}
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
