/** The subset of JSON Schema (as produced by z.toJSONSchema) that the form generator reads. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
}

export type FieldKind =
  | 'enum'
  | 'boolean'
  | 'number'
  | 'text'
  | 'objectList'
  | 'valueList'
  | 'object'
  | 'keyValue'
  | 'any';

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.anyOf) return s.anyOf.flatMap(types);
  return [];
}

/** Which widget a schema gets. */
export function fieldKind(s: JsonSchema): FieldKind {
  if (s.enum) return 'enum';
  const t = types(s);
  if (t.length === 0) return 'any';
  // A string alternative wins: it can hold a template that yields any of the others.
  if (t.includes('string')) return 'text';
  if (t.length === 1 && t[0] === 'boolean') return 'boolean';
  if (t.includes('integer') || t.includes('number')) return 'number';
  if (t.includes('array')) {
    const items = s.items ?? s.anyOf?.find((a) => a.type === 'array')?.items;
    return items && fieldKind(items) === 'object' ? 'objectList' : 'valueList';
  }
  if (t.includes('object')) return s.properties ? 'object' : 'keyValue';
  if (t.includes('boolean')) return 'boolean';
  return 'any';
}

/** `webhookUrl` → `Webhook url`, `maxBackoffMs` → `Max backoff ms`. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A fresh item for a list of objects: required fields empty, defaults left to the engine. */
export function emptyItem(s: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of s?.required ?? []) {
    const prop = s?.properties?.[key];
    const kind = prop ? fieldKind(prop) : 'text';
    out[key] =
      prop?.default !== undefined
        ? prop.default
        : kind === 'objectList' || kind === 'valueList'
          ? []
          : kind === 'keyValue' || kind === 'object'
            ? {}
            : '';
  }
  return out;
}

/** Sets (or with undefined, removes) a key without mutating. */
export function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...obj };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
