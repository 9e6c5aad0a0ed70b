/** Engine validation issues, grouped for the canvas (per node) and the inspector (per config field). */
import type { ValidationIssue } from '@switchyard/engine';

export interface GroupedIssues {
  /** By node id: issues whose path starts with `nodes[<id>]`. */
  byNode: Map<string, ValidationIssue[]>;
  /** By edge id. */
  byEdge: Map<string, ValidationIssue[]>;
  /** Everything else (e.g. "a workflow needs exactly one trigger"). */
  general: ValidationIssue[];
}

const NODE_PATH = /^nodes\[([^\]]+)\]/;
const EDGE_PATH = /^edges\[([^\]]+)\]/;

export function groupIssues(issues: readonly ValidationIssue[]): GroupedIssues {
  const byNode = new Map<string, ValidationIssue[]>();
  const byEdge = new Map<string, ValidationIssue[]>();
  const general: ValidationIssue[] = [];
  for (const issue of issues) {
    const node = NODE_PATH.exec(issue.path);
    const edge = EDGE_PATH.exec(issue.path);
    if (node?.[1]) byNode.set(node[1], [...(byNode.get(node[1]) ?? []), issue]);
    else if (edge?.[1]) byEdge.set(edge[1], [...(byEdge.get(edge[1]) ?? []), issue]);
    else general.push(issue);
  }
  return { byNode, byEdge, general };
}

/** `nodes[route].config.cases[1].equals` → `cases[1].equals`; null when not a config field of that node. */
export function configFieldOf(path: string, nodeId: string): string | null {
  const prefix = `nodes[${nodeId}].config`;
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  return rest.startsWith('.') ? rest.slice(1) : rest;
}
