/**
 * The registry catalogue as the editor sees it: palette entries, icons, output handles
 * and defaults, all derived from the engine's node definitions (zod → JSON Schema).
 */
import { type CatalogEntry, defaultRegistry, type NodeCategory, outputsOf, registryCatalog } from '@switchyard/engine';
import { MAIN_HANDLE } from './convert.js';

export const CATALOG: readonly CatalogEntry[] = registryCatalog();
const BY_TYPE = new Map(CATALOG.map((e) => [e.type, e]));

export function entryOf(type: string): CatalogEntry | undefined {
  return BY_TYPE.get(type);
}

export const CATEGORIES: readonly { id: NodeCategory; label: string }[] = [
  { id: 'trigger', label: 'Triggers' },
  { id: 'logic', label: 'Logic' },
  { id: 'data', label: 'Data' },
  { id: 'integrations', label: 'Integrations' },
];

const ICONS: Record<string, string> = {
  trigger: '⚡',
  switch: '⇉',
  if: '◇',
  filter: '▽',
  loop: '↻',
  set: '≔',
  log: '✎',
  fail: '✕',
  'table.upsert': '⊞',
  'table.insert': '⊕',
  'table.update': '⟳',
  'table.delete': '⊖',
  'table.query': '≡',
  'http.request': '↗',
  'stripe.request': 'S',
  'email.send': '✉',
};

export function iconOf(type: string): string {
  const entry = entryOf(type);
  if (entry?.category === 'trigger') return ICONS.trigger!;
  return ICONS[type] ?? '●';
}

export function isTrigger(type: string): boolean {
  return entryOf(type)?.category === 'trigger';
}

/**
 * Output handles of a node as the engine computes them (`outputsOf` on the parsed config).
 * While the config does not parse yet, derived outputs fall back to what can be read from it,
 * so a Switch being edited keeps its case handles.
 */
export function nodeOutputs(type: string, config: Record<string, unknown>): readonly string[] {
  const def = defaultRegistry.get(type);
  if (!def) return [MAIN_HANDLE];
  const parsed = def.config.safeParse(config);
  if (parsed.success) return outputsOf(def, parsed.data);
  if (typeof def.outputs !== 'function') return def.outputs;
  if (type === 'switch' && Array.isArray(config.cases)) {
    const ids = config.cases
      .map((c) => (c && typeof c === 'object' ? String((c as { id?: unknown }).id ?? '') : ''))
      .filter(Boolean);
    return [...new Set(ids.filter((id) => id !== 'default')), 'default'];
  }
  return def.fixedOutputs ?? [];
}

/** Starting configs: schema defaults of required fields, plus a few helpful presets. */
const PRESETS: Record<string, Record<string, unknown>> = {
  switch: { value: '{{ context.event.action }}', cases: [] },
  'table.upsert': { table: '', key: '{{ context.event.object.id }}', values: {} },
  'table.insert': { table: '', key: '{{ context.event.object.id }}', values: {} },
  'table.update': { table: '', key: '{{ context.event.object.id }}', values: {} },
  'table.delete': { table: '', key: '{{ context.event.object.id }}' },
};

export function defaultConfig(type: string): Record<string, unknown> {
  const preset = PRESETS[type];
  if (preset) return structuredClone(preset);
  const entry = entryOf(type);
  if (entry?.category === 'trigger') return { actions: [] };
  const schema = entry?.configJsonSchema as
    | { properties?: Record<string, JsonSchemaLite>; required?: string[] }
    | undefined;
  const out: Record<string, unknown> = {};
  for (const key of schema?.required ?? []) {
    const prop = schema?.properties?.[key];
    out[key] = prop?.default !== undefined ? structuredClone(prop.default) : emptyFor(prop);
  }
  return out;
}

interface JsonSchemaLite {
  type?: string | string[];
  default?: unknown;
}

function emptyFor(prop: JsonSchemaLite | undefined): unknown {
  const t = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
  if (t === 'array') return [];
  if (t === 'object') return {};
  if (t === 'boolean') return false;
  return '';
}

/** One line describing a node's config on the canvas. */
export function summaryOf(type: string, config: Record<string, unknown>): string {
  const entry = entryOf(type);
  if (entry?.category === 'trigger') {
    const actions = Array.isArray(config.actions) ? config.actions : [];
    return actions.length ? actions.join(', ') : 'every action';
  }
  const text = (v: unknown) =>
    typeof v === 'string'
      ? v.replace(/\{\{\s*|\s*\}\}/g, '').replace(/^context\./, '')
      : v === undefined
        ? ''
        : JSON.stringify(v);
  switch (type) {
    case 'switch':
      return `on ${text(config.value) || '…'}`;
    case 'if':
    case 'filter':
      return text(config.condition) || 'no condition';
    case 'loop':
      return `each of ${text(config.items) || '…'}`;
    case 'set':
      return Object.keys((config.values as object | undefined) ?? {}).join(', ') || 'no values';
    case 'log':
    case 'fail':
      return text(config.message) || '…';
    case 'http.request':
      return `${String(config.method ?? 'POST')} ${text(config.url) || '…'}`;
    case 'stripe.request':
      return `${String(config.operation ?? 'retrieve')} ${String(config.resource ?? '…')}`;
    case 'email.send':
      return `to ${text(config.to) || '…'}`;
    default:
      if (type.startsWith('table.'))
        return `${String(config.table || '…')}${config.key ? ` · ${text(config.key)}` : ''}`;
      return entry?.description ?? '';
  }
}
