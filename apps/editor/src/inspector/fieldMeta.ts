/**
 * Field names and problems in a person's words, read from one place: the node definition's JSON Schema
 * (titles) and its `ui.fields` hints (labels, `missing` phrases). Engine issues arrive as
 * `cases[0].equals: required`; the inspector and the problems list show "Case 1 needs a value to compare with".
 */
import type { FieldUi } from '@switchyard/engine';
import { humanize, type JsonSchema } from './jsonSchema.js';

export type UiFields = Readonly<Record<string, FieldUi>>;

/** A config path's parts: `cases[0].equals` → `['cases', 0, 'equals']`. */
export function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** The hint key of a path: list indexes left out, `cases[0].equals` → `cases.equals`. */
export const hintKey = (path: string) => path.replace(/\[\d+\]/g, '');

/** How the form and the problems name a field. */
export function fieldLabel(name: string, schema: JsonSchema | undefined, ui: FieldUi | undefined): string {
  return ui?.label ?? schema?.title ?? humanize(name);
}

/** `Cases` → `Case`, for "Case 1". */
export function singular(label: string): string {
  return label.endsWith('ies') ? `${label.slice(0, -3)}y` : label.replace(/s$/, '');
}

function childSchema(s: JsonSchema | undefined, part: string | number): JsonSchema | undefined {
  if (!s) return undefined;
  const shapes = [s, ...(s.anyOf ?? [])];
  for (const shape of shapes) {
    if (typeof part === 'number' && shape.items) return shape.items;
    if (typeof part === 'string' && shape.properties?.[part]) return shape.properties[part];
    if (typeof part === 'string' && typeof shape.additionalProperties === 'object') return shape.additionalProperties;
  }
  return undefined;
}

const MISSING = [
  /^required$/,
  /^required for /,
  /received undefined$/,
  /^Too small: expected string to have >=1 characters?$/,
  /^Too small: expected array to have >=1 items?$/,
];

/** An engine message as a phrase that can follow the field's name. */
function phrase(message: string): { missing: boolean; text: string } {
  if (MISSING.some((re) => re.test(message))) {
    const forWhat = /^required for (.+)$/.exec(message)?.[1];
    return { missing: true, text: forWhat ? `is required to ${forWhat}` : 'is required' };
  }
  if (message.startsWith('Invalid option')) return { missing: false, text: 'pick one of the options' };
  const tooBig = /^Too big: expected \w+ to have <=(\d+) (\w+)/.exec(message);
  if (tooBig) return { missing: false, text: `may have at most ${tooBig[1]} ${tooBig[2]}` };
  const range = /^Too (small|big): expected number to be [<>]=?(-?[\d.]+)/.exec(message);
  if (range) return { missing: false, text: `must be ${range[1] === 'small' ? 'at least' : 'at most'} ${range[2]}` };
  if (/^Invalid input: expected (\w+), received (\w+)$/.test(message)) {
    const [, want] = /^Invalid input: expected (\w+)/.exec(message)!;
    return { missing: false, text: `must be ${want === 'array' ? 'a list' : `a ${want}`}` };
  }
  return { missing: false, text: message };
}

/**
 * One engine issue on a node's config (`path` relative to the config) in plain language. Inside a list item
 * the item is named first ("Case 1 needs a value to compare with"); elsewhere the field ("URL is required").
 */
export function describeIssue(schema: JsonSchema, ui: UiFields | undefined, path: string, message: string): string {
  const at = fieldAt(schema, ui, path);
  const p = phrase(message);
  if (!at) return p.text;
  const { item, label, fieldUi, isItem } = at;
  if (isItem) return `${item}: ${p.text}`;
  if (p.missing && fieldUi?.missing) return `${item ?? label} ${fieldUi.missing}`;
  // A choice among alternatives is named by its group ("Condition"), not by the alternative.
  const name = fieldUi?.oneOf ?? label;
  if (p.missing) return item ? `${item}: ${name} is required` : `${name} ${p.text}`;
  return item ? `${item}: ${name}: ${p.text}` : `${name}: ${p.text}`;
}

/** How a config path is named: "Case 2: Output name", "URL". */
export function fieldName(schema: JsonSchema, ui: UiFields | undefined, path: string): string {
  const at = fieldAt(schema, ui, path);
  if (!at) return path;
  if (at.isItem || !at.item) return at.isItem ? (at.item ?? path) : at.label;
  return `${at.item}: ${at.label}`;
}

/** The list item (if any), label and hints of the field a config path names. */
function fieldAt(schema: JsonSchema, ui: UiFields | undefined, path: string) {
  const parts = pathParts(path);
  if (parts.length === 0) return null;
  let s: JsonSchema | undefined = schema;
  let hint = '';
  let item: string | null = null;
  let label = '';
  let fieldUi: FieldUi | undefined;
  for (const part of parts) {
    s = childSchema(s, part);
    if (typeof part === 'number') {
      item = `${singular(label)} ${part + 1}`;
      continue;
    }
    hint = hint ? `${hint}.${part}` : part;
    fieldUi = ui?.[hint];
    label = fieldLabel(part, s, fieldUi);
  }
  return { item, label, fieldUi, isItem: typeof parts.at(-1) === 'number' };
}

/** Issues that say the same thing once: a server's answer repeats the editor's own validation. */
export function uniqueIssues<T extends { path: string; message: string }>(issues: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const i of issues) {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(i);
  }
  return out;
}

/**
 * Plain messages by config path for one node, each once; a missing value hides the other complaints about
 * the same field (an empty id is also "not letters and digits").
 */
export function messagesByField(
  schema: JsonSchema,
  ui: UiFields | undefined,
  issues: readonly { field: string; message: string }[],
): Map<string, string[]> {
  const byPath = new Map<string, { field: string; message: string }[]>();
  for (const i of issues) byPath.set(i.field, [...(byPath.get(i.field) ?? []), i]);
  const out = new Map<string, string[]>();
  for (const [field, list] of byPath) {
    const missing = list.filter((i) => phrase(i.message).missing);
    const shown = missing.length ? missing.slice(0, 1) : list;
    const texts = [...new Set(shown.map((i) => describeIssue(schema, ui, field, i.message)))];
    out.set(field, texts);
  }
  return out;
}
