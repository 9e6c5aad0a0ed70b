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
export type FlowEdge = Edge;

export interface FlowGraph {
  nodes: StepNode[];
  edges: FlowEdge[];
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
  const { nodes: docNodes, edges: docEdges = [], ...rest } = doc;
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
  return { nodes, edges, meta };
}

export function flowToDocument(
  meta: DocumentMeta,
  nodes: readonly StepNode[],
  edges: readonly FlowEdge[],
): WorkflowDoc {
  return {
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
