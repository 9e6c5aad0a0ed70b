/** Copy/paste of selected nodes (and the edges between them) with fresh ids. */

import { isTrigger } from '../flow/catalog.js';
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { newEdgeId, newNodeId } from '../flow/rules.js';
import { boundsOf, freeSpot, type Rect, rectOf } from './placement.js';

/** How far a paste lands from what was copied, before it looks for free space. */
const PASTE_OFFSET = 60;

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

/**
 * The clipboard as new nodes and edges for this graph, offset from the copied nodes into free space (clear of
 * `taken`, which defaults to the graph's nodes); a second trigger is left out.
 */
export function pasteInto(
  nodes: readonly StepNode[],
  edges: readonly FlowEdge[],
  taken: readonly Rect[] = nodes.map(rectOf),
): Clip | null {
  if (!clip) return null;
  const hasTrigger = nodes.some((n) => isTrigger(n.data.type));
  const ids = new Set(nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const added: StepNode[] = [];
  for (const n of clip.nodes) {
    if (hasTrigger && isTrigger(n.data.type)) continue;
    const id = newNodeId(n.data.type, ids);
    ids.add(id);
    rename.set(n.id, id);
    added.push({ ...structuredClone(n), id, selected: true });
  }
  if (added.length) {
    // The pasted group moves as one: offset from where it was copied, then down or across into free space.
    const box = boundsOf(added.map(rectOf));
    const spot = freeSpot(
      { x: box.x + PASTE_OFFSET, y: box.y + PASTE_OFFSET },
      { width: box.width, height: box.height },
      taken,
    );
    const dx = spot.x - box.x;
    const dy = spot.y - box.y;
    for (const n of added) n.position = { x: n.position.x + dx, y: n.position.y + dy };
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
