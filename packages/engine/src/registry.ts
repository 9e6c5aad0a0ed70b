/**
 * Node definitions and the registry that holds them by type and version.
 * A node's zod `config` schema is the single source of truth: validation,
 * parsing before a run, and the JSON Schema the editor builds forms from.
 * Everything else the editor and the runtime need to know about a node type
 * (icon, summary, field hints, effects, scope) lives in its definition too, so
 * adding a node type is one file and no other module names node types.
 */
import { z } from 'zod';
import type { EventContext, RunContext } from './context.js';
import type { ExpressionLimits } from './expressions.js';
import type { Ports } from './ports.js';
import type { RetryPolicy } from './retry.js';
import type { Redactor } from './secrets.js';

export type NodeCategory = 'trigger' | 'logic' | 'data' | 'integrations';

/** The palette's sections, in order. */
export const NODE_CATEGORIES: readonly { id: NodeCategory; label: string }[] = [
  { id: 'trigger', label: 'Triggers' },
  { id: 'logic', label: 'Logic' },
  { id: 'data', label: 'Data' },
  { id: 'integrations', label: 'Integrations' },
];

/** The one unnamed output of ordinary nodes; edges from it have no sourceHandle. */
export const MAIN_OUTPUT = 'main';

/**
 * A config value after `{{ }}` templates are rendered: any free string may have
 * become any value, while enums, numbers and booleans cannot hold templates.
 */
export type Resolved<T> = T extends string
  ? string extends T
    ? unknown
    : T
  : T extends readonly (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

export interface NodeRunArgs<C> {
  /** Config with templates rendered. */
  config: Resolved<C>;
  nodeId: string;
  /** nodeId plus loop indexes, e.g. `notify[2]`: the memo key. */
  stepKey: string;
  /** Derived from event id + node id + loop indexes; stable across retries and resumes. */
  idempotencyKey: string;
  event: EventContext;
  context: RunContext;
  ports: Ports;
  /**
   * Masks the run's secret values in a value the node hands to a port that records it (a log entry). The ports
   * themselves stay the caller's objects: a host may recognise a run by them.
   */
  redact?: Redactor;
  attempt: number;
  expressionLimits: ExpressionLimits;
}

export interface NodeResult {
  output?: unknown;
  /** Outputs to follow; defaults to every static output (MAIN_OUTPUT for ordinary nodes). */
  handles?: readonly string[];
}

/** How the editor shows one config field. */
export interface FieldUi {
  /**
   * `multiline`: a text area; `code`: a monospace text area holding source in `language`;
   * `secret`: a masked input (the value is still stored in the document: put real secrets in
   * `context.secrets`); `event-types`: a list of Stripe event types and wildcards picked from the catalogue.
   * Absent: the widget the field's JSON Schema type implies.
   */
  widget?: 'multiline' | 'code' | 'secret' | 'event-types';
  /** For `code`: what the text is, e.g. `json`, `html`. */
  language?: string;
  placeholder?: string;
}

export interface NodeUi {
  /**
   * Hints by config path with list indexes left out: `text`, `retry.attempts`, `cases.matches`
   * (every case's `matches`). Checked against the config schema when the node is registered.
   */
  fields?: Readonly<Record<string, FieldUi>>;
}

/**
 * A node that opens a scope: the nodes reachable from its `each` output form a body that runs once
 * per item (with `context.item` / `context.index`), after which `done` is followed once. The body may
 * only be entered through `each` (validated). Both must be static outputs of the node.
 */
export interface NodeScope {
  each: string;
  done: string;
  /**
   * The items of a finished step, read from its output: a step replayed from the memo has nothing
   * else. Must give an array.
   */
  items(output: unknown): readonly unknown[];
}

/** A config as the editor holds it: possibly incomplete, templates not rendered. */
export type DraftConfig = Readonly<Record<string, unknown>>;

export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  category: NodeCategory;
  label: string;
  description: string;
  config: S;
  /** Static output handles, or derived from the (parsed) config, e.g. switch case ids + `default`. */
  outputs: readonly string[] | ((config: z.output<S>) => readonly string[]);
  /** For the editor when outputs are derived from config: what they are, and those always present. */
  outputsDescription?: string;
  fixedOutputs?: readonly string[];
  /** Default retry policy; a config field `retry` overrides it. Absent = no retries. */
  retry?: RetryPolicy;
  /** Set false for nodes whose config must not be template-rendered (triggers). */
  resolveTemplates?: boolean;
  /** A lucide icon name (kebab-case, https://lucide.dev/icons), e.g. `git-branch`, `globe`, `mail`. */
  icon: string;
  /** One line describing a configured node on the canvas, e.g. `POST example.com/hook` (see `briefValue`). */
  summary(config: DraftConfig): string;
  /**
   * Whether running the node acts on the world outside the run's own records (HTTP, Stripe, email): the
   * server then persists its step as soon as it succeeds, so a crash right after cannot repeat the effect
   * on resume. False for pure logic and for table writes, which are idempotent on their own.
   */
  externalEffects: boolean;
  /** The config a newly added node starts with; default: the schema's required fields, empty or defaulted. */
  initialConfig?: Record<string, unknown>;
  ui?: NodeUi;
  /** Present on nodes that run a body per item (loop). */
  scope?: NodeScope;
  /**
   * Derived outputs of a config that does not parse yet (being edited), so the editor keeps their
   * handles, e.g. the switch cases typed so far. Default: `fixedOutputs`.
   */
  draftOutputs?(config: DraftConfig): readonly string[];
  run(args: NodeRunArgs<z.output<S>>): Promise<NodeResult> | NodeResult;
}

/** Identity helper that infers the config type from the schema. */
export function defineNode<S extends z.ZodType>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}

// Stored erased: run() is only ever called with a config parsed by the same schema.
// biome-ignore lint/suspicious/noExplicitAny: the config type is erased on purpose, see above
export type AnyNodeDefinition = NodeDefinition<any>;

export interface CatalogEntry {
  type: string;
  version: number;
  category: NodeCategory;
  label: string;
  description: string;
  configJsonSchema: unknown;
  /** Static outputs; for derived outputs, the fixed ones (e.g. `['default']`) and `dynamicOutputs`. */
  outputs: string[];
  dynamicOutputs?: string;
  /** Trigger nodes: the Stripe action catalogue and sample event types. */
  trigger?: { prefix: string; actions: string[]; sampleEventTypes: string[] };
  deprecated: boolean;
  /** From the definition; `summary` and `scope.items` are functions, read them from the definition. */
  icon: string;
  externalEffects: boolean;
  initialConfig?: Record<string, unknown>;
  ui?: NodeUi;
  scope?: { each: string; done: string };
}

const ICON_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** A schema, its anyOf alternatives and its list items: where a field named next may live. */
function shapesOf(s: SchemaNode): SchemaNode[] {
  return [s, ...(s.anyOf ?? []).flatMap(shapesOf), ...(s.items ? shapesOf(s.items) : [])];
}

/** Whether a dotted path (list indexes left out) names a field of the JSON Schema. */
function hasField(schema: SchemaNode, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return true;
  return shapesOf(schema).some((s) => {
    const prop = s.properties?.[head];
    return prop !== undefined && hasField(prop, rest);
  });
}

function configJsonSchema(def: AnyNodeDefinition): unknown {
  return z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' });
}

/** A definition's own consistency, checked once at registration instead of failing obscurely later. */
function checkDefinition(def: AnyNodeDefinition): void {
  const at = `node ${def.type} v${def.version}`;
  if (!ICON_NAME.test(def.icon)) throw new Error(`${at}: icon must be a lucide icon name like "git-branch"`);
  if (typeof def.summary !== 'function') throw new Error(`${at}: summary must be a function`);
  if (typeof def.externalEffects !== 'boolean') throw new Error(`${at}: externalEffects must be true or false`);
  if (def.scope) {
    const outs = typeof def.outputs === 'function' ? undefined : def.outputs;
    for (const handle of [def.scope.each, def.scope.done]) {
      if (!outs?.includes(handle)) throw new Error(`${at}: scope output "${handle}" is not one of its static outputs`);
    }
    if (def.scope.each === def.scope.done) throw new Error(`${at}: scope each and done must differ`);
  }
  const fields = Object.keys(def.ui?.fields ?? {});
  if (fields.length) {
    const schema = configJsonSchema(def) as SchemaNode;
    for (const f of fields) {
      if (!hasField(schema, f.split('.'))) throw new Error(`${at}: ui hint for "${f}", which is not a config field`);
    }
  }
}

export class NodeRegistry {
  private readonly byType = new Map<string, Map<number, AnyNodeDefinition>>();
  private readonly extras = new Map<string, Partial<CatalogEntry>>();

  register(def: AnyNodeDefinition, extra?: Partial<CatalogEntry>): this {
    const versions = this.byType.get(def.type) ?? new Map<number, AnyNodeDefinition>();
    if (versions.has(def.version)) throw new Error(`node ${def.type} v${def.version} registered twice`);
    checkDefinition(def);
    versions.set(def.version, def);
    this.byType.set(def.type, versions);
    if (extra) this.extras.set(`${def.type}@${def.version}`, extra);
    return this;
  }

  latestVersion(type: string): number | undefined {
    const versions = this.byType.get(type);
    return versions ? Math.max(...versions.keys()) : undefined;
  }

  /** The definition for a type at a version (default latest). */
  get(type: string, version?: number): AnyNodeDefinition | undefined {
    const versions = this.byType.get(type);
    if (!versions) return undefined;
    return versions.get(version ?? Math.max(...versions.keys()));
  }

  versions(type: string): number[] {
    return [...(this.byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Every registered version, the latest of each type flagged `deprecated: false`. */
  catalog(options: { allVersions?: boolean } = {}): CatalogEntry[] {
    const out: CatalogEntry[] = [];
    for (const [type, versions] of this.byType) {
      const latest = Math.max(...versions.keys());
      for (const def of versions.values()) {
        if (!options.allVersions && def.version !== latest) continue;
        const dynamic = typeof def.outputs === 'function';
        const entry: CatalogEntry = {
          type,
          version: def.version,
          category: def.category,
          label: def.label,
          description: def.description,
          configJsonSchema: configJsonSchema(def),
          outputs: dynamic ? [...(def.fixedOutputs ?? [])] : [...(def.outputs as readonly string[])],
          deprecated: def.version !== latest,
          icon: def.icon,
          externalEffects: def.externalEffects,
          ...(def.initialConfig
            ? { initialConfig: JSON.parse(JSON.stringify(def.initialConfig)) as Record<string, unknown> }
            : {}),
          ...(def.ui ? { ui: def.ui } : {}),
          ...(def.scope ? { scope: { each: def.scope.each, done: def.scope.done } } : {}),
          ...this.extras.get(`${type}@${def.version}`),
        };
        if (dynamic) entry.dynamicOutputs = def.outputsDescription ?? 'derived from config';
        out.push(entry);
      }
    }
    return out;
  }
}

/** Output handles of a node given its parsed config. */
export function outputsOf(def: AnyNodeDefinition, parsedConfig: unknown): readonly string[] {
  return typeof def.outputs === 'function' ? def.outputs(parsedConfig) : def.outputs;
}

/** Output handles of a config being edited: as `outputsOf` once it parses, else the definition's best guess. */
export function draftOutputsOf(def: AnyNodeDefinition, config: DraftConfig): readonly string[] {
  if (typeof def.outputs !== 'function') return def.outputs;
  const parsed = def.config.safeParse(config);
  if (parsed.success) return def.outputs(parsed.data);
  return def.draftOutputs?.(config) ?? def.fixedOutputs ?? [];
}

/** A config value as a short phrase for summaries: `{{ context.event.action }}` → `event.action`. */
export function briefValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/\{\{\s*|\s*\}\}/g, '').replace(/^context\./, '');
  return JSON.stringify(value);
}
