import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Published, PublishTarget, WorkflowDoc } from '../api/types.js';
import { Dialog } from '../components/Dialog.js';
import { type DocumentDiff, diffDocuments, isEmptyDiff } from '../flow/diff.js';

interface Props {
  open: boolean;
  onClose: () => void;
  workflowId: string;
  latestVersion: number;
  latestDocument: WorkflowDoc;
  published: Published;
  onPublished: (env: PublishTarget, version: number) => void;
}

/** Publish the latest saved version to staging or production, showing what changes there. */
export function PublishDialog({
  open,
  onClose,
  workflowId,
  latestVersion,
  latestDocument,
  published,
  onPublished,
}: Props) {
  const [target, setTarget] = useState<PublishTarget>('staging');
  const [diff, setDiff] = useState<DocumentDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const current = published[target];

  useEffect(() => {
    if (!open) return;
    setDiff(null);
    setError(null);
    if (current === null) return;
    let live = true;
    api.version(workflowId, current).then(
      (v) => live && setDiff(diffDocuments(v.document, latestDocument)),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [open, current, workflowId, latestDocument]);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.publish(workflowId, target, latestVersion);
      onPublished(res.environment, res.version);
      onClose();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Publish" open={open} onClose={onClose} wide>
      <fieldset className="row">
        <legend>Environment</legend>
        {(['staging', 'production'] as const).map((env) => (
          <label key={env} className="toggle">
            <input type="radio" name="publish-env" checked={target === env} onChange={() => setTarget(env)} />
            {env}{' '}
            <span className="muted">({published[env] === null ? 'nothing published' : `v${published[env]}`})</span>
          </label>
        ))}
      </fieldset>
      <p>
        Publish <strong>v{latestVersion}</strong> (the latest saved version) to <strong>{target}</strong>.
      </p>
      <section aria-label="Changes">
        {current === null && <p className="muted">Nothing is published to {target} yet: every node is new there.</p>}
        {current === latestVersion && (
          <p className="muted">
            v{latestVersion} is already live in {target}.
          </p>
        )}
        {current !== null && current !== latestVersion && !diff && !error && (
          <p className="muted">Comparing with v{current}…</p>
        )}
        {diff && current !== latestVersion && <DiffList diff={diff} from={current!} />}
      </section>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={`btn primary${target === 'production' ? ' danger' : ''}`}
          onClick={publish}
          disabled={busy || current === latestVersion}
        >
          {busy ? 'Publishing…' : `Publish to ${target}`}
        </button>
      </div>
    </Dialog>
  );
}

function DiffList({ diff, from }: { diff: DocumentDiff; from: number }) {
  if (isEmptyDiff(diff)) return <p className="muted">Same graph as v{from} (only layout differs).</p>;
  const rows: [string, string[]][] = [
    ['Added nodes', diff.addedNodes],
    ['Removed nodes', diff.removedNodes],
    ['Changed nodes', diff.changedNodes],
    ['Added connections', diff.addedEdges],
    ['Removed connections', diff.removedEdges],
  ];
  return (
    <dl className="diff">
      <dt>Compared with</dt>
      <dd>v{from}</dd>
      {diff.renamed && (
        <>
          <dt>Renamed</dt>
          <dd>
            {diff.renamed.from} → {diff.renamed.to}
          </dd>
        </>
      )}
      {rows
        .filter(([, items]) => items.length)
        .map(([label, items]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {items.map((i) => (
                <code key={i} className="chip">
                  {i}
                </code>
              ))}
            </dd>
          </div>
        ))}
    </dl>
  );
}
