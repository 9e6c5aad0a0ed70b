import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Published, PublishTarget, WorkflowDoc, WorkflowVersion } from '../api/types.js';
import { Dialog } from '../components/Dialog.js';
import { formatTime } from '../components/format.js';
import { type DocumentDiff, diffDocuments } from '../flow/diff.js';
import { DiffList } from './DiffList.js';

interface Props {
  open: boolean;
  onClose: () => void;
  workflowId: string;
  latestVersion: number;
  latestDocument: WorkflowDoc;
  published: Published;
  /** The version to offer first (from the history panel); the latest otherwise. */
  initialVersion?: number | null;
  onPublished: (env: PublishTarget, version: number) => void;
}

/** The word typed to confirm a production publish: a slip of the mouse must not change what production runs. */
export const PRODUCTION_CONFIRMATION = 'production';

const documentOf = async (workflowId: string, version: number, latest: number, latestDocument: WorkflowDoc) =>
  version === latest ? latestDocument : (await api.version(workflowId, version)).document;

/**
 * Publish any saved version to staging or production (an older one is a rollback), showing what changes there.
 * Production asks for the environment's name typed out.
 */
export function PublishDialog({
  open,
  onClose,
  workflowId,
  latestVersion,
  latestDocument,
  published,
  initialVersion,
  onPublished,
}: Props) {
  const [target, setTarget] = useState<PublishTarget>('staging');
  const [version, setVersion] = useState(latestVersion);
  const [versions, setVersions] = useState<WorkflowVersion[]>([]);
  const [diff, setDiff] = useState<DocumentDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const current = published[target];

  useEffect(() => {
    if (!open) return;
    setVersion(initialVersion ?? latestVersion);
    setTarget('staging');
    setTyped('');
    let live = true;
    api.versions(workflowId).then(
      (vs) => live && setVersions(vs),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [open, initialVersion, latestVersion, workflowId]);

  useEffect(() => {
    if (!open) return;
    setDiff(null);
    setError(null);
    if (current === null || current === version) return;
    let live = true;
    Promise.all([
      documentOf(workflowId, current, latestVersion, latestDocument),
      documentOf(workflowId, version, latestVersion, latestDocument),
    ]).then(
      ([before, after]) => live && setDiff(diffDocuments(before, after)),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [open, current, version, workflowId, latestVersion, latestDocument]);

  const confirmed = target !== 'production' || typed.trim() === PRODUCTION_CONFIRMATION;
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.publish(workflowId, target, version);
      onPublished(res.environment, res.version);
      onClose();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const promote = () => {
    if (published.staging === null) return;
    setTarget('production');
    setVersion(published.staging);
  };
  const choices = versions.length ? versions.map((v) => v.version) : [latestVersion];

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
      <div className="row">
        <label className="row">
          <span>Version</span>
          <select aria-label="Version to publish" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {choices.map((v) => {
              const at = versions.find((x) => x.version === v)?.createdAt;
              return (
                <option key={v} value={v}>
                  v{v}
                  {v === latestVersion ? ' (latest)' : ''}
                  {at ? ` · ${formatTime(at)}` : ''}
                </option>
              );
            })}
          </select>
        </label>
        {published.staging !== null && (
          <button
            type="button"
            className="btn small"
            onClick={promote}
            title="Publish exactly the version staging runs to production"
          >
            Promote staging (v{published.staging}) → production
          </button>
        )}
      </div>
      <p>
        Publish <strong>v{version}</strong>
        {version === latestVersion ? ' (the latest saved version)' : ''} to <strong>{target}</strong>
        {current !== null && version < current ? `: a rollback from v${current}` : ''}.
      </p>
      <section aria-label="Changes">
        {current === null && <p className="muted">Nothing is published to {target} yet: every node is new there.</p>}
        {current === version && (
          <p className="muted">
            v{version} is already live in {target}.
          </p>
        )}
        {current !== null && current !== version && !diff && !error && (
          <p className="muted">Comparing with v{current}…</p>
        )}
        {diff && current !== null && current !== version && (
          <DiffList diff={diff} from={`v${current} (live in ${target})`} to={`v${version}`} />
        )}
      </section>
      {target === 'production' && current !== version && (
        <label className="field">
          <span>
            Type <strong>{PRODUCTION_CONFIRMATION}</strong> to change what production runs
          </span>
          <input
            aria-label="Confirm production"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
        </label>
      )}
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
          disabled={busy || current === version || !confirmed}
        >
          {busy ? 'Publishing…' : `Publish to ${target}`}
        </button>
      </div>
    </Dialog>
  );
}
