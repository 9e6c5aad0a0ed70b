/** Copy and paste of the selection, through the editor-wide clipboard (so a copy can be pasted into another workflow). */
import { copySelection, pasteInto } from '../clipboard.js';
import { occupied, revealOf } from './graph.js';
import type { GetState, GraphSlice, SetState } from './types.js';

export const clipboardActions = (set: SetState, get: GetState): Pick<GraphSlice, 'copy' | 'paste'> => ({
  copy: () => {
    const count = copySelection(get().nodes, get().edges);
    if (count) set({ notice: `Copied ${count} node(s).` });
  },

  paste: () => {
    const s = get();
    const { nodes, edges, readOnly } = s;
    if (readOnly) return;
    const clip = pasteInto(nodes, edges, occupied(s));
    if (!clip?.nodes.length) return;
    get().record();
    set({
      nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...clip.nodes],
      edges: [...edges, ...clip.edges],
      notes: s.notes.map((n) => (n.selected ? { ...n, selected: false } : n)),
      reveal: revealOf(
        s,
        clip.nodes.map((n) => n.id),
      ),
    });
  },
});
