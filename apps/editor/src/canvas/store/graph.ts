/** Editing the graph: React Flow's changes, connections, adding, changing and deleting nodes. */
import { applyEdgeChanges, applyNodeChanges, type NodeChange } from '@xyflow/react';
import { defaultConfig, isTrigger, nodeOutputs } from '../../flow/catalog.js';
import { type FlowEdge, NOTE_NODE, NOTE_SIZE, type NoteNode, STEP_NODE, type StepNode } from '../../flow/convert.js';
import { connectionProblem, newEdgeId, newNodeId, pruneDanglingEdges } from '../../flow/rules.js';
import { freeSpot, NEXT_COLUMN, NODE_SIZE, rectOf } from '../placement.js';
import type { CanvasStore, GetState, GraphSlice, SetState, XY } from './types.js';

type GraphActions = Omit<
  GraphSlice,
  'readOnly' | 'nodes' | 'edges' | 'notes' | 'reveal' | 'picker' | 'mapOpen' | 'notice' | 'copy' | 'paste'
>;

/** Everything on the canvas that a new node must not cover. */
export const occupied = (s: Pick<CanvasStore, 'nodes' | 'notes'>) => [...s.nodes.map(rectOf), ...s.notes.map(rectOf)];

/** Asks the canvas to pan to these nodes. */
export const revealOf = (s: Pick<CanvasStore, 'reveal'>, ids: string[]) => ({ ids, seq: (s.reveal?.seq ?? 0) + 1 });

function edgeTo(source: string, handle: string | null, target: string, edges: readonly FlowEdge[]): FlowEdge {
  const id = newEdgeId(
    source,
    handle,
    target,
    edges.map((e) => e.id),
  );
  const edge: FlowEdge = { id, source, target };
  if (handle) edge.sourceHandle = handle;
  return edge;
}

/** Output names after an edit mapped from the old ones, when the outputs were renamed in place (a Switch case id). */
function renamedOutputs(before: readonly string[], after: readonly string[]): Map<string, string> {
  const renamed = new Map<string, string>();
  if (before.length !== after.length) return renamed;
  before.forEach((o, i) => {
    if (after[i] !== o) renamed.set(o, after[i]!);
  });
  return renamed;
}

export const graphActions = (set: SetState, get: GetState): GraphActions => ({
  setNotice: (notice) => set({ notice }),

  // React Flow draws steps and notes together; each change goes back to the list its node lives in.
  onNodesChange: (changes) => {
    const allowed = get().readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes;
    const noteIds = new Set(get().notes.map((n) => n.id));
    const isNote = (c: (typeof allowed)[number]) => ('id' in c ? noteIds.has(c.id) : c.item.type === NOTE_NODE);
    const forNotes = allowed.filter(isNote) as NodeChange<NoteNode>[];
    const forSteps = allowed.filter((c) => !isNote(c)) as NodeChange<StepNode>[];
    set((s) => ({
      ...(forSteps.length ? { nodes: applyNodeChanges(forSteps, s.nodes) } : {}),
      ...(forNotes.length ? { notes: applyNodeChanges(forNotes, s.notes) } : {}),
    }));
  },

  openPicker: (picker) => set({ picker }),

  setMapOpen: (mapOpen) => set({ mapOpen }),

  selectAll: () =>
    set((s) => ({
      nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })),
      notes: s.notes.map((n) => (n.selected ? n : { ...n, selected: true })),
      edges: s.edges.map((e) => (e.selected ? e : { ...e, selected: true })),
    })),

  addNote: (center) => {
    const s = get();
    if (s.readOnly) return;
    s.record();
    const taken = new Set(s.notes.map((n) => n.id));
    let i = s.notes.length + 1;
    while (taken.has(`note_${i}`)) i++;
    const want = { x: center.x - NOTE_SIZE.width / 2, y: center.y - NOTE_SIZE.height / 2 };
    const note: NoteNode = {
      id: `note_${i}`,
      type: NOTE_NODE,
      position: freeSpot(want, NOTE_SIZE, occupied(s)),
      width: NOTE_SIZE.width,
      height: NOTE_SIZE.height,
      selected: true,
      data: { text: '' },
    };
    set({
      nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
      notes: [...s.notes.map((n) => (n.selected ? { ...n, selected: false } : n)), note],
      reveal: revealOf(s, [note.id]),
    });
  },

  setNoteText: (id, text) => {
    get().record(`note:${id}`);
    set((s) => ({ notes: s.notes.map((n) => (n.id === id ? { ...n, data: { ...n.data, text } } : n)) }));
  },

  onEdgesChange: (changes) => {
    const allowed = get().readOnly ? changes.filter((c) => c.type === 'select') : changes;
    set((s) => ({ edges: applyEdgeChanges(allowed, s.edges) }));
  },

  beforeDelete: () => {
    if (get().readOnly) return false;
    get().record();
    return true;
  },

  beforeDrag: () => {
    if (!get().readOnly) get().record();
  },

  isValidConnection: (c) => {
    const { nodes, edges } = get();
    return (
      connectionProblem(nodes, edges, { source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }) ===
      null
    );
  },

  connect: (source, sourceHandle, target) => {
    const { nodes, edges, readOnly } = get();
    if (readOnly) return;
    const problem = connectionProblem(nodes, edges, { source, target, sourceHandle });
    if (problem) return set({ notice: problem });
    get().record();
    set({ edges: [...edges, edgeTo(source, sourceHandle, target, edges)] });
  },

  disconnect: (edgeId) => {
    get().record();
    set((s) => ({ edges: s.edges.filter((e) => e.id !== edgeId) }));
  },

  addNode: (type, place) => {
    const state = get();
    const { nodes, edges, readOnly } = state;
    if (readOnly) return;
    if (isTrigger(type) && nodes.some((n) => isTrigger(n.data.type))) {
      return set({ notice: 'A workflow has exactly one trigger.', picker: null });
    }
    // The node it follows: the output it was asked after, or else the one selected node (click-to-add).
    const picked = nodes.filter((n) => n.selected);
    const after =
      'from' in place
        ? place.from
        : 'center' in place && picked.length === 1
          ? { source: picked[0]!.id, handle: null }
          : null;
    const from = after ? nodes.find((n) => n.id === after.source) : undefined;
    let position: XY;
    if ('at' in place) position = place.at;
    else if (from)
      position = freeSpot({ x: from.position.x + NEXT_COLUMN, y: from.position.y }, NODE_SIZE, occupied(state));
    else if ('center' in place) {
      const want = { x: place.center.x - NODE_SIZE.width / 2, y: place.center.y - NODE_SIZE.height / 2 };
      position = freeSpot(want, NODE_SIZE, occupied(state));
    } else return set({ picker: null });
    get().record();
    const id = newNodeId(
      type,
      nodes.map((n) => n.id),
    );
    const node: StepNode = {
      id,
      type: STEP_NODE,
      position,
      selected: true,
      data: { type, config: defaultConfig(type) },
    };
    const deselected = nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
    const reveal = revealOf(state, [id]);
    // Connected after its source (its first free output when none was named), so a flow builds from the keyboard.
    const taken = (o: string) => edges.some((e) => e.source === from?.id && (e.sourceHandle ?? 'main') === o);
    const handle =
      from && !isTrigger(type)
        ? 'from' in place
          ? (place.from.handle ?? 'main')
          : nodeOutputs(from.data.type, from.data.config).find((o) => !taken(o))
        : undefined;
    const newEdges = from && handle ? [...edges, edgeTo(from.id, handle === 'main' ? null : handle, id, edges)] : edges;
    const notes = state.notes.some((n) => n.selected)
      ? state.notes.map((n) => (n.selected ? { ...n, selected: false } : n))
      : state.notes;
    set({ nodes: [...deselected, node], edges: newEdges, notes, reveal, picker: null });
  },

  updateNode: (id, change, historyKey) => {
    const { nodes, edges } = get();
    const before = nodes.find((n) => n.id === id);
    if (!before) return;
    get().record(historyKey);
    const after = change(before);
    set({ nodes: nodes.map((n) => (n.id === id ? after : n)) });
    const oldOut = nodeOutputs(before.data.type, before.data.config);
    const newOut = nodeOutputs(after.data.type, after.data.config);
    if (oldOut.join('|') === newOut.join('|')) return;
    // A renamed output keeps its connections; vanished outputs lose theirs.
    const renamed = renamedOutputs(oldOut, newOut);
    const moved = edges.map((e) => {
      const to = e.source === id && e.sourceHandle ? renamed.get(e.sourceHandle) : undefined;
      return to ? { ...e, sourceHandle: to } : e;
    });
    set({ edges: pruneDanglingEdges(moved, id, newOut) });
  },

  setConfig: (id, config) => get().updateNode(id, (n) => ({ ...n, data: { ...n.data, config } }), `config:${id}`),

  setLabel: (id, label) =>
    get().updateNode(id, (n) => ({ ...n, data: { ...n.data, label: label || undefined } }), `label:${id}`),

  deleteNode: (id) => {
    get().record();
    set((s) => ({
      nodes: s.nodes.filter((n) => n.id !== id),
      edges: s.edges.filter((e) => e.source !== id && e.target !== id),
    }));
  },

  placeNodes: (nodes) => {
    get().record();
    set({ nodes });
  },
});
