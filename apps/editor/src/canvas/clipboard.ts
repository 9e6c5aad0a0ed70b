/** Copy/paste of selected nodes (and the edges between them) with fresh ids. */

import { isTrigger } from '../flow/catalog.js';
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { newEdgeId, newNodeId } from '../flow/rules.js';

export interface Clip {
  nodes: StepNode[];
  edges: FlowEdge[];
}

let clip: Clip | null = null;

export function copySelection(nodes: readonly StepNode[], edges: readonly FlowEdge[]): number {
  const picked = nodes.filter((n) => n.selected);
  if (!picked.length) return 0;
  const ids = new Set(picked.map((n) => n.id));
  clip = structuredClone({ nodes: picked, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
  return picked.length;
}

/** The clipboard as new nodes and edges for this graph; a second trigger is left out. */
export function pasteInto(nodes: readonly StepNode[], edges: readonly FlowEdge[]): Clip | null {
  if (!clip) return null;
  const hasTrigger = nodes.some((n) => isTrigger(n.data.type));
  const taken = new Set(nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const added: StepNode[] = [];
  for (const n of clip.nodes) {
    if (hasTrigger && isTrigger(n.data.type)) continue;
    const id = newNodeId(n.data.type, taken);
    taken.add(id);
    rename.set(n.id, id);
    added.push({ ...structuredClone(n), id, selected: true, position: { x: n.position.x + 40, y: n.position.y + 40 } });
  }
  const edgeIds = new Set(edges.map((e) => e.id));
  const addedEdges: FlowEdge[] = [];
  for (const e of clip.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = newEdgeId(source, e.sourceHandle, target, edgeIds);
    edgeIds.add(id);
    addedEdges.push({ ...e, id, source, target, selected: false });
  }
  return { nodes: added, edges: addedEdges };
}
