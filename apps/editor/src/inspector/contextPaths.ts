/** `{{ }}` autocomplete: the paths of the run context built from a sample event. */

export interface PathSuggestion {
  path: string;
  /** Short preview of the value at that path. */
  preview: string;
}

const MAX_DEPTH = 6;
const MAX_PATHS = 1500;

/** Every path under `root` (named `prefix`), objects walked, arrays shown once with `[0]`. */
export function collectPaths(root: unknown, prefix: string): PathSuggestion[] {
  const out: PathSuggestion[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (out.length >= MAX_PATHS) return;
    out.push({ path, preview: previewOf(value) });
    if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (value.length > 0) walk(value[0], `${path}[0]`, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value))
      walk(v, /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${path}.${k}` : `${path}.\`${k}\``, depth + 1);
  };
  walk(root, prefix, 0);
  return out;
}

/**
 * `context.secrets.<NAME>` (previewed by its mask: the editor never has a value) and `context.vars.<NAME>` with
 * their values.
 */
export function settingsPaths(
  secrets: readonly { name: string; masked: string }[],
  vars: readonly { name: string; value: unknown }[],
): PathSuggestion[] {
  const out: PathSuggestion[] = [];
  if (secrets.length) out.push({ path: 'context.secrets', preview: 'object' });
  for (const s of secrets) out.push({ path: `context.secrets.${s.name}`, preview: `secret ${s.masked}` });
  if (vars.length) out.push({ path: 'context.vars', preview: 'object' });
  for (const v of vars) out.push(...collectPaths(v.value, `context.vars.${v.name}`));
  return out;
}

export function previewOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/**
 * The expression being typed at `caret`, if the caret is inside an open `{{`:
 * returns the path fragment before the caret and where it starts.
 */
export function openExpressionAt(text: string, caret: number): { fragment: string; start: number } | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open === -1 || before.lastIndexOf('}}') > open) return null;
  const m = /[A-Za-z0-9_.$`[\]]*$/.exec(before);
  const fragment = m?.[0] ?? '';
  return { fragment, start: caret - fragment.length };
}

export function suggest(all: readonly PathSuggestion[], fragment: string, limit = 8): PathSuggestion[] {
  const f = fragment.toLowerCase();
  const starts = all.filter((p) => p.path.toLowerCase().startsWith(f) && p.path.length > fragment.length);
  // Prefer the next level down over deep paths, so the list reads like a file browser.
  const depthOf = (p: string) => p.split('.').length;
  starts.sort((a, b) => depthOf(a.path) - depthOf(b.path) || a.path.localeCompare(b.path));
  if (starts.length >= limit || f === '') return starts.slice(0, limit);
  const contains = all.filter((p) => !p.path.toLowerCase().startsWith(f) && p.path.toLowerCase().includes(f));
  return [...starts, ...contains].slice(0, limit);
}

/** Inserts a chosen path, closing the `{{ }}` when the text after the caret does not. */
export function applySuggestion(
  text: string,
  start: number,
  caret: number,
  path: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const closes = /^[^{]*\}\}/.test(after);
  const insert = closes ? path : `${path} }}`;
  const next = text.slice(0, start) + insert + after;
  return { text: next, caret: start + (closes ? path.length : path.length) };
}
