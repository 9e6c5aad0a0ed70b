/**
 * Node definitions and the registry that holds them by type and version.
 * A node's zod `config` schema is the single source of truth: validation,
 * parsing before a run, and the JSON Schema the editor builds forms from.
 */
import { z } from 'zod';
import type { EventContext, RunContext } from './context.js';
import type { ExpressionLimits } from './expressions.js';
import type { Ports } from './ports.js';
import type { RetryPolicy } from './retry.js';

export type NodeCategory = 'trigger' | 'logic' | 'data' | 'integrations';

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
  attempt: number;
  expressionLimits: ExpressionLimits;
}

export interface NodeResult {
  output?: unknown;
  /** Outputs to follow; defaults to every static output (MAIN_OUTPUT for ordinary nodes). */
  handles?: readonly string[];
  /** Loop nodes only: the items to run the `each` branch for. */
  loopItems?: readonly unknown[];
}

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
  run(args: NodeRunArgs<z.output<S>>): Promise<NodeResult> | NodeResult;
}

/** Identity helper that infers the config type from the schema. */
export function defineNode<S extends z.ZodType>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}

// Stored erased: run() is only ever called with a config parsed by the same schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
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
}

export class NodeRegistry {
  private readonly byType = new Map<string, Map<number, AnyNodeDefinition>>();
  private readonly extras = new Map<string, Partial<CatalogEntry>>();

  register(def: AnyNodeDefinition, extra?: Partial<CatalogEntry>): this {
    let versions = this.byType.get(def.type);
    if (!versions) this.byType.set(def.type, (versions = new Map()));
    if (versions.has(def.version)) throw new Error(`node ${def.type} v${def.version} registered twice`);
    versions.set(def.version, def);
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
          configJsonSchema: z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }),
          outputs: dynamic ? [...(def.fixedOutputs ?? [])] : [...(def.outputs as readonly string[])],
          deprecated: def.version !== latest,
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
