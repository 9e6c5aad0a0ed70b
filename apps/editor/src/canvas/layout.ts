/** Auto-layout with dagre, loaded on first use so it stays out of the canvas chunk. */
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { NODE_SIZE } from './placement.js';

export async function autoLayout(nodes: readonly StepNode[], edges: readonly FlowEdge[]): Promise<StepNode[]> {
  const { default: dagre } = await import('@dagrejs/dagre');
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes)
    g.setNode(n.id, { width: n.measured?.width ?? NODE_SIZE.width, height: n.measured?.height ?? NODE_SIZE.height });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    if (!p) return n;
    const w = n.measured?.width ?? NODE_SIZE.width;
    const h = n.measured?.height ?? NODE_SIZE.height;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}
