/** Editing the graph: React Flow's changes, connections, adding, changing and deleting nodes. */
import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import { defaultConfig, isTrigger, nodeOutputs } from '../../flow/catalog.js';
import { type FlowEdge, STEP_NODE, type StepNode } from '../../flow/convert.js';
import { connectionProblem, newEdgeId, newNodeId, pruneDanglingEdges } from '../../flow/rules.js';
import type { GetState, GraphSlice, SetState, XY } from './types.js';

type GraphActions = Omit<GraphSlice, 'readOnly' | 'nodes' | 'edges' | 'notice' | 'copy' | 'paste'>;

/** Nudge offsets for a node added after the selected one: to its right, below its earlier successors. */
const NEXT_X = 320;
const NEXT_Y = 130;

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

  onNodesChange: (changes) => {
    const allowed = get().readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes;
    set((s) => ({ nodes: applyNodeChanges(allowed, s.nodes) }));
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
    const { nodes, edges, readOnly } = get();
    if (readOnly) return;
    if (isTrigger(type) && nodes.some((n) => isTrigger(n.data.type))) {
      return set({ notice: 'A workflow has exactly one trigger.' });
    }
    const picked = nodes.filter((n) => n.selected);
    const from = picked.length === 1 ? picked[0]! : null;
    let position: XY;
    if ('at' in place) position = place.at;
    else if (from) {
      const successors = edges.filter((e) => e.source === from.id).length;
      position = { x: from.position.x + NEXT_X, y: from.position.y + successors * NEXT_Y };
    } else position = place.center;
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
    set({ nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
    // Click-to-add after a selected node connects its first free output, so a flow can be built from the keyboard.
    if ('at' in place || !from || isTrigger(type)) return;
    const taken = (o: string) => edges.some((e) => e.source === from.id && (e.sourceHandle ?? 'main') === o);
    const free = nodeOutputs(from.data.type, from.data.config).find((o) => !taken(o));
    if (free) set({ edges: [...edges, edgeTo(from.id, free === 'main' ? null : free, id, edges)] });
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
