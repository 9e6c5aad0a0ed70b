import { useEffect, useMemo, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Published, WorkflowDoc, WorkflowVersion } from '../api/types.js';
import { Dialog } from '../components/Dialog.js';
import { formatTime } from '../components/format.js';
import { diffDocuments } from '../flow/diff.js';
import { DiffList } from './DiffList.js';
import { useCanvasStore } from './store/context.js';
import { parseDocKey } from './store/document.js';

interface Props {
  open: boolean;
  onClose: () => void;
  workflowId: string;
  latestVersion: number;
  published: Published;
  /** Opens the publish dialog on that version. */
  onPublish: (version: number) => void;
}

/** Every saved version with its time and where it is live; the selected one is diffed against the canvas. */
export function VersionHistory({ open, onClose, workflowId, latestVersion, published, onPublish }: Props) {
  const [versions, setVersions] = useState<WorkflowVersion[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [document, setDocument] = useState<{ version: number; document: WorkflowDoc } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const docKey = useCanvasStore((s) => s.docKey);

  // Loaded again on each opening, and after a save made a new latest version.
  // biome-ignore lint/correctness/useExhaustiveDependencies: latestVersion is the reload trigger
  useEffect(() => {
    if (!open) return;
    setError(null);
    let live = true;
    api.versions(workflowId).then(
      (vs) => {
        if (!live) return;
        setVersions(vs);
        setSelected((s) => s ?? vs[1]?.version ?? vs[0]?.version ?? null);
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [open, workflowId, latestVersion]);

  useEffect(() => {
    if (!open || selected === null) return;
    let live = true;
    api.version(workflowId, selected).then(
      (v) => live && setDocument({ version: v.version, document: v.document }),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [open, selected, workflowId]);

  const diff = useMemo(
    () => (document ? diffDocuments(document.document, parseDocKey(docKey)) : null),
    [document, docKey],
  );
  const liveIn = (v: number) => (['staging', 'production'] as const).filter((env) => published[env] === v);

  return (
    <Dialog title="Version history" open={open} onClose={onClose} wide>
      <p className="muted">
        Every Save is a version; autosave keeps a draft that nothing runs. The editor environment runs the latest
        version; staging and production run what was published to them. Publishing an older version is a rollback.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!versions && !error && <p className="muted">Loading versions…</p>}
      {versions && (
        <ul className="version-list" aria-label="Versions">
          {versions.map((v) => (
            <li key={v.version} className={v.version === selected ? 'selected' : undefined}>
              <label className="row">
                <input
                  type="radio"
                  name="version"
                  checked={v.version === selected}
                  onChange={() => setSelected(v.version)}
                  aria-label={`v${v.version}`}
                />
                <strong>v{v.version}</strong>
                <span className="muted">{formatTime(v.createdAt)}</span>
                {v.version === latestVersion && <span className="chip">latest · editor</span>}
                {liveIn(v.version).map((env) => (
                  <span key={env} className="chip">
                    live in {env}
                  </span>
                ))}
              </label>
            </li>
          ))}
        </ul>
      )}
      {selected !== null && (
        <section aria-label="Diff">
          <h3>v{selected} → what you are editing</h3>
          {diff && document?.version === selected ? (
            <DiffList diff={diff} from={`v${selected}`} to="the canvas" />
          ) : (
            <p className="muted">Loading v{selected}…</p>
          )}
          <div className="actions">
            <button type="button" className="btn primary" onClick={() => onPublish(selected)}>
              Publish v{selected}…
            </button>
          </div>
        </section>
      )}
    </Dialog>
  );
}
