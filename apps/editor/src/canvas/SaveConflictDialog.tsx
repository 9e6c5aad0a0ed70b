import { useState } from 'react';
import { describeError } from '../api/client.js';
import { Dialog } from '../components/Dialog.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';

/** A save refused with 412: another tab or person saved first. The user picks whose document stays. */
export function SaveConflictDialog({ overwrite }: { overwrite: () => Promise<void> }) {
  const store = useCanvasStoreApi();
  const conflict = useCanvasStore((s) => s.conflict);
  const [error, setError] = useState<string | null>(null);
  // Escape closes a native dialog; this one needs an answer, so it opens again.
  const [opened, setOpened] = useState(0);
  if (!conflict) return null;
  const { current, mode } = conflict;
  const theirs = current.draft ? `a draft over v${current.version}` : `v${current.version}`;
  const keepMine = async () => {
    setError(null);
    try {
      await overwrite();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Dialog key={opened} title="Changed elsewhere" open onClose={() => setOpened((n) => n + 1)}>
      <p role="alert">
        This workflow was saved somewhere else (now {theirs}) since this page loaded it. Your{' '}
        {mode === 'draft' ? 'change' : 'save'} was not stored.
      </p>
      <p className="muted">
        Reload theirs to see what they saved (your unsaved change is dropped), or overwrite with yours to replace it.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={() => store.getState().reload(current)}>
          Reload theirs
        </button>
        <button type="button" className="btn primary danger" onClick={() => void keepMine()}>
          Overwrite with mine
        </button>
      </div>
    </Dialog>
  );
}
