/** Workflow problems in plain words, once each: for the problems list, the inspector and the canvas. */
import type { ValidationIssue } from '@switchyard/engine';
import type { EditorCatalog } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { configFieldOf } from '../flow/issues.js';
import { describeIssue, fieldName, uniqueIssues } from './fieldMeta.js';
import type { JsonSchema } from './jsonSchema.js';

const NODE_REF = /nodes\[([^\]]+)\](?:\.config)?\.?/g;

/** A node as people know it: its label, else its type's label, with the id when that differs. */
export function nodeName(node: StepNode | undefined, catalog: EditorCatalog, id: string): string {
  if (!node) return `“${id}”`;
  return node.data.label || catalog.entryOf(node.data.type)?.label || id;
}

/** One issue of a node's config, relative to that node: "Case 1 needs a value to compare with". */
export function configIssueText(catalog: EditorCatalog, node: StepNode, field: string, message: string): string {
  const entry = catalog.entryOf(node.data.type);
  if (!entry) return message;
  return describeIssue(entry.configJsonSchema as JsonSchema, entry.ui?.fields, field, message);
}

/** A workflow issue as a sentence: "Switch: Case 1 needs a value to compare with", "Edge from x: …". */
export function issueText(issue: ValidationIssue, nodes: readonly StepNode[], catalog: EditorCatalog): string {
  const id = /^nodes\[([^\]]+)\]/.exec(issue.path)?.[1];
  const node = id ? nodes.find((n) => n.id === id) : undefined;
  const text = nodeIssueText(issue, nodes, catalog);
  return id && node ? `${nodeName(node, catalog, id)}: ${text}` : text;
}

/** An issue as the node's own card says it, without the node's name: "URL is required". */
export function nodeIssueText(issue: ValidationIssue, nodes: readonly StepNode[], catalog: EditorCatalog): string {
  const id = /^nodes\[([^\]]+)\]/.exec(issue.path)?.[1];
  const node = id ? nodes.find((n) => n.id === id) : undefined;
  const field = id && node ? configFieldOf(issue.path, id) : null;
  if (node && field) return configIssueText(catalog, node, field, issue.message);
  return plainRefs(issue.message, nodes, catalog);
}

/** `nodes[a].config.url` inside a message → the node's name. */
function plainRefs(message: string, nodes: readonly StepNode[], catalog: EditorCatalog): string {
  return message.replace(
    NODE_REF,
    (_, id: string) =>
      `${nodeName(
        nodes.find((n) => n.id === id),
        catalog,
        id,
      )} `,
  );
}

export { uniqueIssues };

const CONFIG_REF = /nodes\[([^\]]+)\]\.config\.([A-Za-z0-9_.[\]]+): /g;

/**
 * A step's error as the inspector shows it: `nodes[x].config.url: not an http(s) URL` names the field by its
 * label ("URL: not an http(s) URL"); the rest of the message is the run's own.
 */
export function runErrorText(message: string, nodes: readonly StepNode[], catalog: EditorCatalog): string {
  return message.replace(CONFIG_REF, (whole, id: string, field: string) => {
    const node = nodes.find((n) => n.id === id);
    const entry = node && catalog.entryOf(node.data.type);
    if (!entry) return whole;
    return `${fieldName(entry.configJsonSchema as JsonSchema, entry.ui?.fields, field)}: `;
  });
}
