/**
 * Workflow document (docs/workflow-document.md) ↔ React Flow nodes and edges.
 * Every node renders with the one generic component (type `step`); the workflow
 * node type lives in `data.type`. The single unnamed output is a handle without id,
 * so edges from it carry no sourceHandle in either form.
 */
import type { Edge, Node } from '@xyflow/react';
import type { WorkflowDoc } from '../api/types.js';

export const STEP_NODE = 'step';
/** Engine name of the one unnamed output; rendered as a handle without id. */
export const MAIN_HANDLE = 'main';

export interface StepData extends Record<string, unknown> {
  type: string;
  config: Record<string, unknown>;
  version?: number;
  label?: string;
  /** Unknown fields of the stored node, kept for a faithful round trip. */
  extra?: Record<string, unknown>;
}

export type StepNode = Node<StepData, typeof STEP_NODE>;

/** A sticky note: text on the canvas, saved in the document's `notes` and ignored by the engine. */
export const NOTE_NODE = 'note';
export interface NoteData extends Record<string, unknown> {
  text: string;
}
export type NoteNode = Node<NoteData, typeof NOTE_NODE>;
type DocNote = NonNullable<WorkflowDoc['notes']>[number];
/** The size of a note nobody resized yet. */
export const NOTE_SIZE = { width: 240, height: 140 } as const;
export type FlowEdge = Edge;

export interface FlowGraph {
  nodes: StepNode[];
  edges: FlowEdge[];
  notes: NoteNode[];
}

/** Document-level fields besides nodes and edges (name, description, unknown extras). */
export interface DocumentMeta {
  name: string;
  description?: string;
  [key: string]: unknown;
}

const COLUMN = 300;
const ROW = 140;

export function documentToFlow(doc: WorkflowDoc): FlowGraph & { meta: DocumentMeta } {
  const { nodes: docNodes, edges: docEdges = [], notes: docNotes = [], ...rest } = doc;
  const meta: DocumentMeta = { ...rest, name: doc.name };
  const fallback = fallbackPositions(
    docNodes.map((n) => n.id),
    docEdges,
  );
  const nodes: StepNode[] = docNodes.map((n) => {
    const { id, type, config, version, label, position, ...extra } = n;
    const data: StepData = { type, config: { ...(config ?? {}) } };
    if (version !== undefined) data.version = version;
    if (label !== undefined) data.label = label;
    if (Object.keys(extra).length) data.extra = extra;
    return { id, type: STEP_NODE, position: position ? { x: position.x, y: position.y } : fallback.get(id)!, data };
  });
  const edges: FlowEdge[] = docEdges.map((e) => {
    const { id, source, target, sourceHandle, targetHandle, ...extra } = e;
    const edge: FlowEdge = { id, source, target };
    if (sourceHandle && sourceHandle !== MAIN_HANDLE) edge.sourceHandle = sourceHandle;
    if (targetHandle) edge.targetHandle = targetHandle;
    if (Object.keys(extra).length) edge.data = { extra };
    return edge;
  });
  const notes: NoteNode[] = docNotes.map((n) => ({
    id: n.id,
    type: NOTE_NODE,
    position: { x: n.position.x, y: n.position.y },
    width: n.size?.width ?? NOTE_SIZE.width,
    height: n.size?.height ?? NOTE_SIZE.height,
    data: { text: n.text },
  }));
  return { nodes, edges, notes, meta };
}

export function flowToDocument(
  meta: DocumentMeta,
  nodes: readonly StepNode[],
  edges: readonly FlowEdge[],
  notes: readonly NoteNode[] = [],
): WorkflowDoc {
  const doc: WorkflowDoc = {
    ...meta,
    nodes: nodes.map((n) => {
      const out: WorkflowDoc['nodes'][number] = { ...(n.data.extra ?? {}), id: n.id, type: n.data.type };
      if (n.data.version !== undefined) out.version = n.data.version;
      if (n.data.label) out.label = n.data.label;
      out.config = n.data.config;
      out.position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      return out;
    }),
    edges: edges.map((e) => {
      const extra = (e.data as { extra?: Record<string, unknown> } | undefined)?.extra ?? {};
      const out: NonNullable<WorkflowDoc['edges']>[number] = { ...extra, id: e.id, source: e.source, target: e.target };
      if (e.sourceHandle && e.sourceHandle !== MAIN_HANDLE) out.sourceHandle = e.sourceHandle;
      if (e.targetHandle) out.targetHandle = e.targetHandle;
      return out;
    }),
  };
  // Only a document with notes has the field, so documents saved before notes keep their exact form.
  if (notes.length) doc.notes = notes.map(noteToDocument);
  return doc;
}

function noteToDocument(n: NoteNode): DocNote {
  const width = n.measured?.width ?? n.width ?? NOTE_SIZE.width;
  const height = n.measured?.height ?? n.height ?? NOTE_SIZE.height;
  return {
    id: n.id,
    text: n.data.text,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    size: { width: Math.round(width), height: Math.round(height) },
  };
}

/** Positions for nodes stored without one: columns by depth from the roots, rows in order. */
function fallbackPositions(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>(ids.map((id) => [id, 0]));
  // Longest-path depth, bounded by the node count so a cyclic document still terminates.
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of edges) {
      const d = (depth.get(e.source) ?? 0) + 1;
      if (depth.has(e.target) && d > depth.get(e.target)! && d < ids.length) {
        depth.set(e.target, d);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const out = new Map<string, { x: number; y: number }>();
  for (const id of ids) {
    const col = depth.get(id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(id, { x: col * COLUMN, y: row * ROW });
  }
  return out;
}
