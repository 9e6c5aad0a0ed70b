/**
 * The registry catalogue as the editor sees it: palette entries, icons, summaries, output handles,
 * starting configs and field hints, all read from the engine's node definitions (zod → JSON Schema).
 * Nothing here knows a node type by name: a type registered in the engine shows up complete.
 * `createCatalog(registry)` binds it all to one registry; the module-level exports use the editor's.
 */
import {
  type CatalogEntry,
  type DraftConfig,
  defaultRegistry,
  draftOutputsOf,
  NODE_CATEGORIES,
  type NodeRegistry,
} from '@switchyard/engine';
import { createContext, type ReactElement, useContext } from 'react';
import { MAIN_HANDLE } from './convert.js';
import { iconElement } from './icons.js';

export interface EditorCatalog {
  readonly registry: NodeRegistry;
  /** Latest version of every node type. */
  readonly entries: readonly CatalogEntry[];
  entryOf(type: string): CatalogEntry | undefined;
  /** The icon drawn for the type: its definition's lucide icon (the Stripe mark for triggers). */
  iconOf(type: string): ReactElement;
  isTrigger(type: string): boolean;
  /**
   * Output handles of a node as the engine computes them (`outputsOf` on the parsed config). While the
   * config does not parse yet, the definition's draft outputs keep, e.g., a Switch's case handles.
   */
  nodeOutputs(type: string, config: DraftConfig): readonly string[];
  /** Starting config: the definition's `initialConfig`, else the schema's required fields, empty or defaulted. */
  defaultConfig(type: string): Record<string, unknown>;
  /** One line describing a node's config on the canvas. */
  summaryOf(type: string, config: DraftConfig): string;
}

export function createCatalog(registry: NodeRegistry): EditorCatalog {
  const entries = registry.catalog();
  const byType = new Map(entries.map((e) => [e.type, e]));
  const entryOf = (type: string) => byType.get(type);
  return {
    registry,
    entries,
    entryOf,
    iconOf: (type) => iconElement(entryOf(type)?.icon, { trigger: entryOf(type)?.category === 'trigger' }),
    isTrigger: (type) => entryOf(type)?.category === 'trigger',
    nodeOutputs(type, config) {
      const def = registry.get(type);
      return def ? draftOutputsOf(def, config) : [MAIN_HANDLE];
    },
    defaultConfig(type) {
      const entry = entryOf(type);
      if (entry?.initialConfig) return structuredClone(entry.initialConfig);
      return requiredFields(entry?.configJsonSchema as ObjectSchemaLite | undefined);
    },
    summaryOf(type, config) {
      const def = registry.get(type);
      if (!def) return '';
      try {
        return def.summary(config);
      } catch {
        // A draft may hold anything; a summary that trips over it must not take the canvas down.
        return def.description;
      }
    },
  };
}

/** The built-in node types: what the editor runs with. */
export const editorRegistry: NodeRegistry = defaultRegistry;
export const EDITOR_CATALOG: EditorCatalog = createCatalog(editorRegistry);

/** The catalogue components read; tests provide one built from their own registry. */
export const CatalogContext = createContext<EditorCatalog>(EDITOR_CATALOG);

export function useCatalog(): EditorCatalog {
  return useContext(CatalogContext);
}

export const CATALOG: readonly CatalogEntry[] = EDITOR_CATALOG.entries;
export const CATEGORIES = NODE_CATEGORIES;
export const { entryOf, iconOf, isTrigger, nodeOutputs, defaultConfig, summaryOf } = EDITOR_CATALOG;

interface JsonSchemaLite {
  type?: string | string[];
  default?: unknown;
}

interface ObjectSchemaLite {
  properties?: Record<string, JsonSchemaLite>;
  required?: string[];
}

function requiredFields(schema: ObjectSchemaLite | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of schema?.required ?? []) {
    const prop = schema?.properties?.[key];
    out[key] = prop?.default !== undefined ? structuredClone(prop.default) : emptyFor(prop);
  }
  return out;
}

function emptyFor(prop: JsonSchemaLite | undefined): unknown {
  const t = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
  if (t === 'array') return [];
  if (t === 'object') return {};
  if (t === 'boolean') return false;
  return '';
}
