/** An execution drawn on the canvas: per-node status and the edges the run took. */
import type { Execution, ExecutionStep, StepStatus } from '../api/types.js';
import type { FlowEdge } from '../flow/convert.js';

export function stepsByNode(execution: Execution | null): Map<string, ExecutionStep[]> {
  const map = new Map<string, ExecutionStep[]>();
  for (const s of execution?.steps ?? []) map.set(s.nodeId, [...(map.get(s.nodeId) ?? []), s]);
  return map;
}

/** A node's status across its steps (loop bodies run several): failed beats succeeded beats skipped. */
export function runStatusByNode(steps: ReadonlyMap<string, readonly ExecutionStep[]>): Map<string, StepStatus> {
  const rank: Record<StepStatus, number> = { failed: 3, succeeded: 2, skipped: 1 };
  const out = new Map<string, StepStatus>();
  for (const [id, list] of steps) {
    const top = [...list].sort((a, b) => rank[b.status] - rank[a.status])[0];
    if (top) out.set(id, top.status);
  }
  return out;
}

/**
 * The path the event took: edges whose source succeeded through that output (the step's
 * `handles` when the server records them) and whose target ran.
 */
export function decorateEdges(
  edges: readonly FlowEdge[],
  status: ReadonlyMap<string, StepStatus> | null,
  steps?: ReadonlyMap<string, readonly ExecutionStep[]>,
): FlowEdge[] {
  if (!status) return edges as FlowEdge[];
  return edges.map((e) => {
    const handles = steps?.get(e.source)?.flatMap((s) => s.handles ?? []);
    const viaHandle = !handles || handles.length === 0 || handles.includes(e.sourceHandle ?? 'main');
    const taken =
      viaHandle && status.get(e.source) === 'succeeded' && status.has(e.target) && status.get(e.target) !== 'skipped';
    return { ...e, animated: taken, className: taken ? 'edge-taken' : 'edge-idle' };
  });
}
