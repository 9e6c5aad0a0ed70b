/** Graph rules the canvas enforces while editing: acyclic, one trigger, ids the engine accepts. */
import { isTrigger } from './catalog.js';
import type { FlowEdge, StepNode } from './convert.js';

export interface ConnectionAttempt {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
}

/** Why a connection may not be made, or null when it is fine. */
export function connectionProblem(
  nodes: readonly StepNode[],
  edges: readonly FlowEdge[],
  c: ConnectionAttempt,
): string | null {
  if (!c.source || !c.target) return 'incomplete connection';
  if (c.source === c.target) return 'a node cannot connect to itself';
  const target = nodes.find((n) => n.id === c.target);
  if (!target) return 'unknown target';
  if (isTrigger(target.data.type)) return 'a trigger cannot have incoming connections';
  const handle = c.sourceHandle ?? null;
  if (edges.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? null) === handle))
    return 'already connected';
  if (reaches(edges, c.target, c.source)) return 'this connection would make a cycle';
  return null;
}

/** Whether `to` can be reached from `from` along edges. */
export function reaches(edges: readonly FlowEdge[], from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(out.get(id) ?? []));
  }
  return false;
}

export function hasTrigger(nodes: readonly StepNode[]): boolean {
  return nodes.some((n) => isTrigger(n.data.type));
}

/** A readable, unique node id from its type: `table_upsert`, `table_upsert_2`, … */
export function newNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    (type.startsWith('stripe.') && isTrigger(type) ? 'trigger' : type.replace(/[^A-Za-z0-9]+/g, '_')).slice(0, 56) ||
    'node';
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function newEdgeId(
  source: string,
  handle: string | null | undefined,
  target: string,
  taken: Iterable<string>,
): string {
  const used = new Set(taken);
  const base = `${source}${handle ? `-${handle}` : ''}-${target}`.slice(0, 120);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Where the edges whose source handle no longer exists (a Switch case removed) would point:
 * returns the edges that are still valid.
 */
export function pruneDanglingEdges(edges: readonly FlowEdge[], nodeId: string, outputs: readonly string[]): FlowEdge[] {
  const named = outputs.filter((o) => o !== 'main');
  return edges.filter((e) => {
    if (e.source !== nodeId) return true;
    if (!e.sourceHandle) return outputs.includes('main');
    return named.includes(e.sourceHandle);
  });
}
