import type { KeyboardEvent } from 'react';
import { useCanvasStoreApi } from './store/context.js';

const EDITABLE = 'input, textarea, select, [contenteditable="true"]';

/**
 * Ctrl/Cmd shortcuts of the canvas: S saves, Z / Shift+Z / Y undo and redo, C / V copy and paste.
 * Keys typed into a field keep their usual meaning.
 */
export function useKeyboardShortcuts(saveNow: () => Promise<void>): (e: KeyboardEvent) => void {
  const store = useCanvasStoreApi();
  return (e) => {
    if ((e.target as HTMLElement).closest(EDITABLE)) return;
    if (!e.metaKey && !e.ctrlKey) return;
    const key = e.key.toLowerCase();
    if (key === 's') {
      e.preventDefault();
      void saveNow().catch(() => undefined);
      return;
    }
    const s = store.getState();
    if (s.readOnly) return;
    if (key === 'z' && !e.shiftKey) s.undo();
    else if ((key === 'z' && e.shiftKey) || key === 'y') s.redo();
    else if (key === 'c') return s.copy();
    else if (key === 'v') s.paste();
    else return;
    e.preventDefault();
  };
}
