/** What changes between two workflow documents, ignoring positions: for the publish dialog and version history. */
import type { WorkflowDoc } from '../api/types.js';

/** One changed value: `path` below the node (`config.cases[1].equals`, `type`, `label`); undefined when absent. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  fields: FieldChange[];
}

export interface DocumentDiff {
  renamed: { from: string; to: string } | null;
  addedNodes: string[];
  removedNodes: string[];
  /** The ids of nodes in both documents whose type, label or config differ. */
  changedNodes: string[];
  /** The same nodes with each changed field, old → new. */
  nodeChanges: NodeChange[];
  addedEdges: string[];
  removedEdges: string[];
  /** Sticky notes added, removed or reworded (moving or resizing one is layout, like a node's position). */
  notesChanged: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf that differs between two JSON values, with its path; a value whose kind changed is one change. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(after)) ? [] : [{ path, before, after }];
}

function nodeFields(b: WorkflowDoc['nodes'][number], a: WorkflowDoc['nodes'][number]): FieldChange[] {
  const changes: FieldChange[] = [];
  if (b.type !== a.type) changes.push({ path: 'type', before: b.type, after: a.type });
  if ((b.label ?? '') !== (a.label ?? '')) changes.push({ path: 'label', before: b.label, after: a.label });
  return [...changes, ...diffValues(b.config ?? {}, a.config ?? {}, 'config')];
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

const notesSig = (doc: WorkflowDoc) => JSON.stringify((doc.notes ?? []).map((n) => [n.id, n.text]));

export function diffDocuments(before: WorkflowDoc, after: WorkflowDoc): DocumentDiff {
  const b = new Map(before.nodes.map((n) => [n.id, n]));
  const a = new Map(after.nodes.map((n) => [n.id, n]));
  const be = new Set((before.edges ?? []).map(edgeSig));
  const ae = new Set((after.edges ?? []).map(edgeSig));
  const changedNodes = [...a.keys()].filter((id) => b.has(id) && nodeSig(b.get(id)!) !== nodeSig(a.get(id)!));
  return {
    renamed: before.name !== after.name ? { from: before.name, to: after.name } : null,
    addedNodes: [...a.keys()].filter((id) => !b.has(id)),
    removedNodes: [...b.keys()].filter((id) => !a.has(id)),
    changedNodes,
    nodeChanges: changedNodes.map((id) => ({ id, fields: nodeFields(b.get(id)!, a.get(id)!) })),
    addedEdges: [...ae].filter((s) => !be.has(s)),
    removedEdges: [...be].filter((s) => !ae.has(s)),
    notesChanged: notesSig(before) !== notesSig(after),
  };
}

export function isEmptyDiff(d: DocumentDiff): boolean {
  return (
    !d.renamed &&
    !d.addedNodes.length &&
    !d.removedNodes.length &&
    !d.changedNodes.length &&
    !d.addedEdges.length &&
    !d.removedEdges.length &&
    !d.notesChanged
  );
}

/** A changed value as one short line for the UI: JSON, cut to `max` characters; absent is `(none)`. */
export function showValue(v: unknown, max = 80): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(sortKeys(v));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
