import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Environment } from '../api/types.js';
import { Link } from '../components/Link.js';
import { downloadJson } from '../pages/files.js';
import { href } from '../router.js';
import { useFitCanvas } from './fit.js';
import { autoLayout } from './layout.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { currentFailure, isUnversioned, parseDocKey, type SaveStatus, saveStatus } from './store/document.js';

const SAVE_LABEL: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  draft: 'All changes saved as a draft (Save makes a version)',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  invalid: 'Not saved: fix the problems',
  error: 'Save failed',
  conflict: 'Not saved: changed elsewhere',
};

interface Props {
  env: Environment;
  saveNow: () => Promise<void>;
  onPublish: () => void;
  onHistory: () => void;
  /** Shown instead of the editing tools, in run view. */
  children?: ReactNode;
}

/** Back link, the workflow's name, save state and the editing commands. */
export function Toolbar({ env, saveNow, onPublish, onHistory, children }: Props) {
  const store = useCanvasStoreApi();
  const t = useCanvasStore(
    useShallow((s) => ({
      readOnly: s.readOnly,
      name: typeof s.meta.name === 'string' ? s.meta.name : '',
      status: saveStatus(s),
      failure: currentFailure(s)?.message ?? null,
      unversioned: isUnversioned(s),
      valid: s.validation.ok,
      version: s.latest.version,
      canUndo: s.past.length > 0,
      canRedo: s.future.length > 0,
    })),
  );
  const fit = useFitCanvas();
  const save = () => void saveNow().catch(() => undefined);
  const layout = async () => {
    const { nodes, edges, placeNodes } = store.getState();
    placeNodes(await autoLayout(nodes, edges));
    window.setTimeout(() => fit(200), 50);
  };
  const exportJson = () => downloadJson(`${t.name || 'workflow'}.json`, parseDocKey(store.getState().docKey));

  return (
    <div className="toolbar" role="toolbar" aria-label="Workflow">
      <Link href={href(env, 'workflows')} className="btn ghost small" aria-label="Back to workflows">
        ←
      </Link>
      <input
        className="wf-name"
        aria-label="Workflow name"
        value={t.name}
        readOnly={t.readOnly}
        onChange={(e) => store.getState().setName(e.target.value)}
      />
      {!t.readOnly && (
        <>
          <span className={`save-state ${t.status}`} role="status" data-testid="save-state">
            {SAVE_LABEL[t.status]}
            {t.failure && `: ${t.failure}`}
          </span>
          <span className="muted small" title="The latest saved version; the editor environment runs it">
            v{t.version}
          </span>
          <div className="toolbar-group">
            <button
              type="button"
              className="btn small"
              onClick={() => store.getState().undo()}
              disabled={!t.canUndo}
              title="Undo (Ctrl+Z)"
            >
              Undo
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => store.getState().redo()}
              disabled={!t.canRedo}
              title="Redo (Ctrl+Shift+Z)"
            >
              Redo
            </button>
            <button type="button" className="btn small" onClick={() => void layout()}>
              Auto-layout
            </button>
            <button type="button" className="btn small" onClick={exportJson}>
              Export
            </button>
            <button
              type="button"
              className="btn small"
              onClick={save}
              disabled={!t.unversioned || !t.valid || t.status === 'conflict'}
              title="Save as a new version (Ctrl+S); the editor environment runs the latest saved version"
            >
              Save
            </button>
            <button type="button" className="btn small" onClick={onHistory}>
              History
            </button>
            <button
              type="button"
              className="btn small primary"
              onClick={onPublish}
              disabled={(t.unversioned && !t.valid) || t.status === 'conflict'}
            >
              Publish…
            </button>
          </div>
        </>
      )}
      {children}
    </div>
  );
}
