/** Ids made from a value (a Switch case's `completed`), unique among their siblings, until the user edits one. */
import type { FieldUi } from '@switchyard/engine';

type IdSpec = NonNullable<FieldUi['idFrom']>;

const MAX = 48;

export function slugOf(value: unknown): string {
  const text = Array.isArray(value) ? value.map((v) => String(v ?? '')).join('_') : String(value ?? '');
  return text
    .replace(/\{\{|\}\}/g, ' ')
    .replace(/^\s*context\.event\./, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, MAX)
    .replace(/[_-]+$/, '');
}

function unique(base: string, taken: ReadonlySet<string>): string {
  const b = base === 'default' ? 'default_case' : base;
  if (!taken.has(b)) return b;
  for (let n = 2; ; n++) if (!taken.has(`${b}_${n}`)) return `${b}_${n}`;
}

/** The id a new item starts with: `case_3`. */
export function fallbackId(spec: IdSpec, taken: ReadonlySet<string>): string {
  for (let n = taken.size + 1; ; n++) if (!taken.has(`${spec.fallback}_${n}`)) return `${spec.fallback}_${n}`;
}

/** The id made from the first given source field, or null when none gives one. */
export function derivedId(item: Record<string, unknown>, spec: IdSpec, taken: ReadonlySet<string>): string | null {
  for (const f of spec.fields) {
    if (item[f] === undefined) continue;
    const slug = slugOf(item[f]);
    return slug ? unique(slug, taken) : null;
  }
  return null;
}

/**
 * After an item changed: its id follows the source while the id is still what was generated (empty, the
 * fallback, or made from the previous source); once the user typed their own, it is left alone.
 */
export function followId(
  key: string,
  spec: IdSpec,
  prev: Record<string, unknown>,
  next: Record<string, unknown>,
  taken: ReadonlySet<string>,
): Record<string, unknown> {
  const id = prev[key];
  if (next[key] !== id) return next;
  const generated =
    id === undefined ||
    id === '' ||
    (typeof id === 'string' && new RegExp(`^${spec.fallback}_\\d+$`).test(id)) ||
    id === derivedId(prev, spec, taken);
  if (!generated) return next;
  const made = derivedId(next, spec, taken);
  return made === null || made === id ? next : { ...next, [key]: made };
}
