/** What changes between two workflow documents, ignoring positions: for the publish dialog. */
import type { WorkflowDoc } from '../api/types.js';

export interface DocumentDiff {
  renamed: { from: string; to: string } | null;
  addedNodes: string[];
  removedNodes: string[];
  changedNodes: string[];
  addedEdges: string[];
  removedEdges: string[];
}

const nodeSig = (n: WorkflowDoc['nodes'][number]) =>
  JSON.stringify([n.type, n.label ?? null, sortKeys(n.config ?? {})]);
const edgeSig = (e: NonNullable<WorkflowDoc['edges']>[number]) =>
  `${e.source}${e.sourceHandle ? ` [${e.sourceHandle}]` : ''} → ${e.target}`;

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  return v;
}

export function diffDocuments(before: WorkflowDoc, after: WorkflowDoc): DocumentDiff {
  const b = new Map(before.nodes.map((n) => [n.id, n]));
  const a = new Map(after.nodes.map((n) => [n.id, n]));
  const be = new Set((before.edges ?? []).map(edgeSig));
  const ae = new Set((after.edges ?? []).map(edgeSig));
  return {
    renamed: before.name !== after.name ? { from: before.name, to: after.name } : null,
    addedNodes: [...a.keys()].filter((id) => !b.has(id)),
    removedNodes: [...b.keys()].filter((id) => !a.has(id)),
    changedNodes: [...a.keys()].filter((id) => b.has(id) && nodeSig(b.get(id)!) !== nodeSig(a.get(id)!)),
    addedEdges: [...ae].filter((s) => !be.has(s)),
    removedEdges: [...be].filter((s) => !ae.has(s)),
  };
}

export function isEmptyDiff(d: DocumentDiff): boolean {
  return (
    !d.renamed &&
    !d.addedNodes.length &&
    !d.removedNodes.length &&
    !d.changedNodes.length &&
    !d.addedEdges.length &&
    !d.removedEdges.length
  );
}
