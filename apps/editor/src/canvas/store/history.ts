/** Undo/redo over document snapshots; repeated edits of one thing within a second are one step. */
import type { CanvasStore, GetState, HistorySlice, SetState, Snapshot } from './types.js';

const LIMIT = 100;
const COALESCE_MS = 1000;

export function snapshotOf(s: Pick<CanvasStore, 'meta' | 'nodes' | 'edges' | 'notes'>): Snapshot {
  return {
    meta: s.meta,
    nodes: s.nodes.map(({ selected: _s, dragging: _d, ...n }) => n),
    edges: s.edges.map(({ selected: _s, ...e }) => e),
    notes: s.notes.map(({ selected: _s, dragging: _d, ...n }) => n),
  };
}

export const historyActions = (
  set: SetState,
  get: GetState,
  now: () => number,
): Omit<HistorySlice, 'past' | 'future' | 'lastEdit'> => ({
  record: (key) => {
    const s = get();
    const at = now();
    if (key && s.lastEdit?.key === key && at - s.lastEdit.at < COALESCE_MS) {
      set({ lastEdit: { key, at } });
      return;
    }
    set({ lastEdit: key ? { key, at } : null, past: [...s.past.slice(-(LIMIT - 1)), snapshotOf(s)], future: [] });
  },

  undo: () => {
    const s = get();
    const prev = s.past.at(-1);
    if (!prev) return;
    set({ ...prev, past: s.past.slice(0, -1), future: [...s.future, snapshotOf(s)], lastEdit: null });
  },

  redo: () => {
    const s = get();
    const next = s.future.at(-1);
    if (!next) return;
    set({ ...next, future: s.future.slice(0, -1), past: [...s.past, snapshotOf(s)], lastEdit: null });
  },
});
