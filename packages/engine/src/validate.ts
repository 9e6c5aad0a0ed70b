/**
 * validateWorkflow: document schema, node configs, templates, then graph rules.
 * Every issue names the node (by id) or edge and the field, e.g.
 * `nodes[route].config.cases[1].equals: required`.
 */
import type { z } from 'zod';
import { type WorkflowDocument, WorkflowDocumentSchema } from './document.js';
import { checkTemplates, DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './expressions.js';
import { buildGraph, handleOf, reachableFrom } from './graph.js';
import { type AnyNodeDefinition, MAIN_OUTPUT, type NodeRegistry, outputsOf } from './registry.js';

export interface ValidationIssue {
  /** e.g. `nodes[route].config.cases[1].equals` */
  path: string;
  message: string;
  /** `path: message` */
  text: string;
}

/** A document that passed validation: configs parsed (defaults applied) and versions pinned. */
export type ValidWorkflow = WorkflowDocument & { readonly __valid: true };

export type ValidationResult =
  | { ok: true; workflow: ValidWorkflow; warnings: ValidationIssue[] }
  | { ok: false; errors: ValidationIssue[]; warnings: ValidationIssue[] };

export interface ValidateOptions {
  /** The node types the workflow may use, e.g. `defaultRegistry` or `createRegistry().register(...)`. */
  registry: NodeRegistry;
  expressionLimits?: ExpressionLimits;
}

export function formatIssue(issue: Pick<ValidationIssue, 'path' | 'message'>): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

function issue(path: string, message: string): ValidationIssue {
  return { path, message, text: formatIssue({ path, message }) };
}

function idAt(list: unknown, index: number): string {
  const item = Array.isArray(list) ? (list[index] as { id?: unknown } | undefined) : undefined;
  return typeof item?.id === 'string' && item.id !== '' ? item.id : String(index);
}

/** Zod path → `nodes[<id>].config.cases[1].equals`, using ids where the document has them. */
function formatPath(path: readonly PropertyKey[], raw: unknown, prefix = ''): string {
  let out = prefix;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const prev = path[i - 1];
    if (typeof seg === 'number') {
      const top = i === 1 && (prev === 'nodes' || prev === 'edges') && !prefix;
      out += top ? `[${idAt((raw as Record<string, unknown>)[prev as string], seg)}]` : `[${seg}]`;
    } else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function zodMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) return 'required';
  return i.message;
}

export function validateWorkflow(doc: unknown, options: ValidateOptions): ValidationResult {
  const { registry } = options;
  const limits = options.expressionLimits ?? DEFAULT_EXPRESSION_LIMITS;
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];

  const parsed = WorkflowDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    for (const i of parsed.error.issues) errors.push(issue(formatPath(i.path, doc), zodMessage(i)));
    return { ok: false, errors, warnings };
  }
  const wf = parsed.data;

  const seenNodes = new Set<string>();
  for (const n of wf.nodes) {
    if (seenNodes.has(n.id)) errors.push(issue(`nodes[${n.id}].id`, 'duplicate node id'));
    seenNodes.add(n.id);
  }
  const seenEdges = new Set<string>();
  for (const e of wf.edges) {
    if (seenEdges.has(e.id)) errors.push(issue(`edges[${e.id}].id`, 'duplicate edge id'));
    seenEdges.add(e.id);
  }

  // Node types, versions, configs and their templates.
  const outputs = new Map<string, readonly string[]>();
  const defs = new Map<string, AnyNodeDefinition>();
  const triggers: string[] = [];
  const nodes = wf.nodes.map((n) => {
    const at = `nodes[${n.id}]`;
    const latest = registry.latestVersion(n.type);
    if (latest === undefined) {
      errors.push(issue(`${at}.type`, `unknown node type "${n.type}"`));
      return n;
    }
    const def = registry.get(n.type, n.version);
    if (!def) {
      errors.push(
        issue(
          `${at}.version`,
          `unknown version ${n.version} of ${n.type} (have ${registry.versions(n.type).join(', ')})`,
        ),
      );
      return n;
    }
    defs.set(n.id, def);
    if (def.category === 'trigger') triggers.push(n.id);
    const cfg = def.config.safeParse(n.config);
    if (!cfg.success) {
      for (const i of cfg.error.issues) errors.push(issue(formatPath(i.path, n.config, `${at}.config`), zodMessage(i)));
      return n;
    }
    if (def.resolveTemplates !== false) {
      for (const err of checkTemplates(n.config, `${at}.config`, limits)) {
        errors.push(issue(err.field, err.message.slice(err.field.length + 2)));
      }
    }
    outputs.set(n.id, outputsOf(def, cfg.data));
    return { ...n, version: def.version, config: cfg.data as Record<string, unknown> };
  });

  if (triggers.length === 0)
    errors.push(issue('nodes', 'a workflow needs exactly one trigger (a stripe.* node); found none'));
  for (const extra of triggers.slice(1)) {
    errors.push(issue(`nodes[${extra}].type`, `a workflow needs exactly one trigger; "${triggers[0]}" is already one`));
  }

  // Edges reference existing nodes and outputs.
  for (const e of wf.edges) {
    const at = `edges[${e.id}]`;
    if (!seenNodes.has(e.source)) errors.push(issue(`${at}.source`, `unknown node "${e.source}"`));
    if (!seenNodes.has(e.target)) errors.push(issue(`${at}.target`, `unknown node "${e.target}"`));
    else if (triggers.includes(e.target)) errors.push(issue(`${at}.target`, 'a trigger cannot have incoming edges'));
    const outs = outputs.get(e.source);
    if (!outs) continue;
    const handle = handleOf(e);
    if (!outs.includes(handle)) {
      const named = outs.filter((o) => o !== MAIN_OUTPUT);
      const msg =
        outs.length === 0
          ? `node "${e.source}" has no outputs`
          : named.length === 0
            ? `node "${e.source}" has one unnamed output; leave sourceHandle empty (got "${handle}")`
            : `"${e.sourceHandle ?? ''}" is not an output of node "${e.source}" (expected one of ${named.join(', ')})`;
      errors.push(issue(`${at}.sourceHandle`, msg));
    }
  }

  const graph = buildGraph(wf);
  for (const id of graph.cyclic) errors.push(issue(`nodes[${id}]`, 'part of a cycle; workflows must be acyclic'));

  if (graph.order) {
    // A scope's body (a loop's) may only be entered through its `each` output, so each iteration is
    // self-contained.
    for (const n of wf.nodes) {
      const def = defs.get(n.id);
      if (!def?.scope) continue;
      const { each } = def.scope;
      const body = reachableFrom(graph, n.id, [each]);
      for (const id of body) {
        for (const e of graph.incoming.get(id) ?? []) {
          const fromEach = e.source === n.id && handleOf(e) === each;
          if (!fromEach && !body.has(e.source)) {
            errors.push(
              issue(
                `edges[${e.id}].target`,
                `"${id}" is inside the body of ${def.label.toLowerCase()} "${n.id}" and can only be reached through its ${each} output`,
              ),
            );
          }
        }
      }
    }
  }

  const trigger = triggers[0];
  if (trigger) {
    const reachable = reachableFrom(graph, trigger);
    for (const n of wf.nodes) {
      if (n.id !== trigger && !reachable.has(n.id))
        warnings.push(issue(`nodes[${n.id}]`, 'unreachable from the trigger; it will never run'));
    }
  }

  if (errors.length) return { ok: false, errors, warnings };
  return { ok: true, workflow: { ...wf, nodes } as ValidWorkflow, warnings };
}
