/** Graph shape of a workflow: adjacency by output handle, topological order, loop bodies. */
import type { WorkflowDocument, WorkflowEdge } from './document.js';
import { MAIN_OUTPUT } from './registry.js';

export interface Graph {
  nodeIds: string[];
  outgoing: Map<string, WorkflowEdge[]>;
  incoming: Map<string, WorkflowEdge[]>;
  /** Topological order (document order among independents); undefined when there is a cycle. */
  order: string[] | undefined;
  /** Nodes left on cycles when order is undefined. */
  cyclic: string[];
}

export function handleOf(edge: WorkflowEdge): string {
  return edge.sourceHandle ?? MAIN_OUTPUT;
}

export function buildGraph(doc: Pick<WorkflowDocument, 'nodes' | 'edges'>): Graph {
  const nodeIds = doc.nodes.map((n) => n.id);
  const known = new Set(nodeIds);
  const outgoing = new Map<string, WorkflowEdge[]>(nodeIds.map((id) => [id, []]));
  const incoming = new Map<string, WorkflowEdge[]>(nodeIds.map((id) => [id, []]));
  for (const e of doc.edges) {
    if (!known.has(e.source) || !known.has(e.target)) continue;
    outgoing.get(e.source)!.push(e);
    incoming.get(e.target)!.push(e);
  }
  // Kahn's algorithm, picking the earliest node in document order for determinism.
  const indegree = new Map(nodeIds.map((id) => [id, incoming.get(id)!.length]));
  const ready = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  const position = new Map(nodeIds.map((id, i) => [id, i]));
  while (ready.length) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const e of outgoing.get(id)!) {
      const d = indegree.get(e.target)! - 1;
      indegree.set(e.target, d);
      if (d === 0) ready.push(e.target);
    }
  }
  const done = new Set(order);
  const cyclic = nodeIds.filter((id) => !done.has(id));
  return { nodeIds, outgoing, incoming, order: cyclic.length ? undefined : order, cyclic };
}

/** Nodes reachable from `start` following only the given handles out of it (then any handle). */
export function reachableFrom(graph: Graph, start: string, firstHandles?: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const e of graph.outgoing.get(start) ?? []) {
    if (!firstHandles || firstHandles.includes(handleOf(e))) stack.push(e.target);
  }
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.outgoing.get(id) ?? []) stack.push(e.target);
  }
  return seen;
}
