/** Coercions for rendered config values, which may be of any type after templating. */
import { NonRetriableError } from '../errors.js';

export function asText(value: unknown, field: string, nodeId: string, opts: { required?: boolean } = {}): string {
  if (value === undefined || value === null || value === '') {
    if (opts.required !== false)
      throw new NonRetriableError(`nodes[${nodeId}].config.${field}: required but the expression gave nothing`);
    return '';
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new NonRetriableError(
    `nodes[${nodeId}].config.${field}: expected text, got ${Array.isArray(value) ? 'array' : typeof value}`,
  );
}

export function asOptionalText(value: unknown, field: string, nodeId: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return asText(value, field, nodeId);
}

/** A list given as an array or a comma-separated string. */
export function asTextList(value: unknown, field: string, nodeId: string): string[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',')
      : value == null
        ? []
        : [value];
  return items.map((v, i) => asText(v, `${field}[${i}]`, nodeId).trim()).filter((s) => s !== '');
}

/** Truthiness as a user expects it: empty arrays/objects/strings and "false" are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  if (typeof value === 'string') return value !== '' && value.toLowerCase() !== 'false';
  return Boolean(value);
}

/** Equality for switch/in: deep for structures, by text for scalars (so 1000 equals "1000"). */
export function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a === 'object' || typeof b === 'object') {
    if (typeof a !== 'object' || typeof b !== 'object') return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => looselyEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return String(a) === String(b);
}

export function asRecord(value: unknown, field: string, nodeId: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new NonRetriableError(`nodes[${nodeId}].config.${field}: expected an object`);
}
