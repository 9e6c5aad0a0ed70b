import { useEffect, useRef } from 'react';
import { useCanvasStoreApi } from './store/context.js';

/** Where a key means typing, not a command: form fields, rich text and CodeMirror editors. */
const EDITABLE = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], .cm-editor';

/** Whether a keyboard event belongs to a field being typed in (or to an open modal dialog). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest(EDITABLE) !== null || target.closest('dialog[open]') !== null;
}

/**
 * Ctrl/Cmd shortcuts of the canvas, on the whole page while the editor is open (so they work after a click on
 * empty canvas or in a panel, where no node has focus): S saves, Z / Shift+Z / Y undo and redo, C / V copy and
 * paste, A selects everything. Keys typed into a field keep their usual meaning. Delete is React Flow's own.
 */
export function useKeyboardShortcuts(saveNow: () => Promise<void>): void {
  const store = useCanvasStoreApi();
  const save = useRef(saveNow);
  save.current = saveNow;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || (!e.metaKey && !e.ctrlKey) || e.altKey) return;
      if (isTypingTarget(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        void save.current().catch(() => undefined);
        return;
      }
      const s = store.getState();
      if (key === 'c') {
        // Copying text the user selected on the page (a step's output, say) stays the browser's.
        if (window.getSelection()?.toString()) return;
        s.copy();
        return;
      }
      if (key === 'a') s.selectAll();
      else if (s.readOnly) return;
      else if (key === 'z' && !e.shiftKey) s.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') s.redo();
      else if (key === 'v') s.paste();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
