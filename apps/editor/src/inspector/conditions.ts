/**
 * The condition builder's model: rows of (field path, operator, value) joined by all/any, written as one
 * JSONata `{{ }}` expression, and read back from expressions it wrote. Anything else stays raw: the parser
 * accepts only the exact shapes `toExpression` produces.
 */
import { regexProblem, walkExpression } from '@switchyard/engine';

export type ConditionOp = 'eq' | 'ne' | 'contains' | 'gt' | 'lt' | 'exists' | 'empty' | 'matches';

export const CONDITION_OPS: readonly { op: ConditionOp; label: string; needsValue: boolean }[] = [
  { op: 'eq', label: 'equals', needsValue: true },
  { op: 'ne', label: 'does not equal', needsValue: true },
  { op: 'contains', label: 'contains', needsValue: true },
  { op: 'gt', label: 'is greater than', needsValue: true },
  { op: 'lt', label: 'is less than', needsValue: true },
  { op: 'exists', label: 'exists', needsValue: false },
  { op: 'empty', label: 'is empty', needsValue: false },
  { op: 'matches', label: 'matches pattern', needsValue: true },
];

export interface ConditionRow {
  path: string;
  op: ConditionOp;
  /** As typed: `paid`, `1000`, `true`; a number, boolean or null literal is compared as such. */
  value: string;
}

export interface Condition {
  join: 'all' | 'any';
  rows: ConditionRow[];
}

export const needsValue = (op: ConditionOp) => CONDITION_OPS.find((o) => o.op === op)?.needsValue ?? true;

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A typed value as a JSONata literal: numbers, booleans and null as such, everything else a string. */
function literal(value: string): string {
  const v = value.trim();
  if (NUMBER.test(v) || v === 'true' || v === 'false' || v === 'null') return v;
  return JSON.stringify(value);
}

// A `{n}`, `{n,}` or `{n,m}` repetition: its braces are the pattern's own, and balanced.
const QUANTIFIER = /\{\d+(,\d*)?\}/y;

const quantifierAt = (text: string, at: number): string | undefined => {
  QUANTIFIER.lastIndex = at;
  return QUANTIFIER.exec(text)?.[0];
};

/** Whether the character at `at` is a bracket JSONata's regex scanner counts, written unescaped. */
function countedBracketAt(text: string, at: number, inClass: boolean): boolean {
  const c = text[at];
  if (inClass) return c === ']';
  return c === '(' || c === ')' || c === '[' || (c === '{' && quantifierAt(text, at) !== undefined);
}

/**
 * A pattern as the body of a JSONata regex literal, meaning the same to RE2. JSONata ends the literal at the
 * first unescaped `/` where the brackets seen so far balance, counting every `(`, `[`, `{` and closer not
 * right after a backslash; so `/` is escaped, literal braces and brackets are escaped (a `}}` becomes
 * `\}\}`), and an escaped backslash before a counted bracket is written `\x5c`.
 */
export function regexBody(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      // A lone trailing backslash would escape the closing `/`; it is read as the backslash it shows.
      if (d === undefined) out += '\\\\';
      else if (d === '\\' && countedBracketAt(pattern, i + 2, inClass)) out += '\\x5c';
      else out += `\\${d}`;
      i++;
    } else if (c === '/') out += '\\/';
    else if (inClass) {
      if (c === ']') inClass = false;
      out += '()[{}'.includes(c) ? `\\${c}` : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '{') {
      const q = quantifierAt(pattern, i);
      out += q ?? '\\{';
      if (q) i += q.length - 1;
    } else out += c === '}' || c === ']' ? `\\${c}` : c;
  }
  return out;
}

/** The pattern `regexBody` wrote (its escapes undone); for other bodies, parseCondition's final check decides. */
function patternOf(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      if (inClass && c === ']') inClass = false;
      else if (!inClass && c === '[') inClass = true;
      out += c;
      continue;
    }
    const d = body[i + 1] ?? '';
    i++;
    if (d === 'x' && body.startsWith('5c', i + 1) && countedBracketAt(body, i + 3, inClass)) {
      out += '\\\\';
      i += 2;
    } else if (d === '/' || (inClass ? '()[{}' : '}]').includes(d)) out += d;
    // Unescaped, a `{` before digits and an (escaped) `}` would be a repetition: only a stray one is undone.
    else if (d === '{' && !inClass && !/^\d+(,\d*)?\\\}/.test(body.slice(i + 1))) out += d;
    else out += `\\${d}`;
  }
  return out;
}

/** Why a "matches pattern" value cannot run, in words; undefined when it can (or is still empty). */
export function patternProblem(pattern: string): string | undefined {
  if (pattern === '') return undefined;
  if (/(^|[^\\])(\\\\)*\\$/.test(pattern)) return 'the pattern ends with a lone \\ (write \\\\ for a backslash)';
  // What the engine compiles is the literal's body, so that is what is checked.
  return regexProblem(regexBody(pattern));
}

const regexLiteral = (pattern: string) => `/${regexBody(pattern)}/`;

function clause({ path, op, value }: ConditionRow): string {
  switch (op) {
    case 'eq':
      return `${path} = ${literal(value)}`;
    case 'ne':
      return `${path} != ${literal(value)}`;
    case 'gt':
      return `${path} > ${literal(value)}`;
    case 'lt':
      return `${path} < ${literal(value)}`;
    case 'contains':
      return `$contains(${path}, ${JSON.stringify(value)})`;
    case 'matches':
      return `$contains(${path}, ${regexLiteral(value)})`;
    case 'exists':
      return `$exists(${path})`;
    case 'empty':
      return `($not($exists(${path})) or ${path} = null or ${path} = "")`;
  }
}

/** The rows as a `{{ }}` template; rows without a field are left out. */
export function toExpression(c: Condition): string {
  const parts = c.rows.filter((r) => r.path.trim() !== '').map(clause);
  if (parts.length === 0) return '';
  return `{{ ${parts.join(c.join === 'all' ? ' and ' : ' or ')} }}`;
}

const PATH = String.raw`[A-Za-z_$][A-Za-z0-9_$]*(?:\.(?:[A-Za-z_$][A-Za-z0-9_$]*|\`[^\`]+\`)|\[\d+\])*`;
const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const LIT = String.raw`(?:${STRING}|-?(?:0|[1-9]\d*)(?:\.\d+)?|true|false|null)`;
const REGEX = String.raw`/((?:[^/\\]|\\.)*)/`;

const SHAPES: { re: RegExp; read: (m: RegExpExecArray) => ConditionRow }[] = [
  {
    re: new RegExp(String.raw`^\(\$not\(\$exists\((${PATH})\)\) or (${PATH}) = null or (${PATH}) = ""\)$`),
    read: (m) => ({ path: m[1]!, op: 'empty', value: '' }),
  },
  { re: new RegExp(String.raw`^\$exists\((${PATH})\)$`), read: (m) => ({ path: m[1]!, op: 'exists', value: '' }) },
  {
    re: new RegExp(String.raw`^\$contains\((${PATH}), (${STRING})\)$`),
    read: (m) => ({ path: m[1]!, op: 'contains', value: JSON.parse(m[2]!) as string }),
  },
  {
    re: new RegExp(String.raw`^\$contains\((${PATH}), ${REGEX}\)$`),
    read: (m) => ({ path: m[1]!, op: 'matches', value: patternOf(m[2]!) }),
  },
  {
    re: new RegExp(`^(${PATH}) (=|!=|>|<) (${LIT})$`),
    read: (m) => {
      const ops = { '=': 'eq', '!=': 'ne', '>': 'gt', '<': 'lt' } as const;
      const lit = m[3]!;
      return { path: m[1]!, op: ops[m[2] as keyof typeof ops], value: lit.startsWith('"') ? JSON.parse(lit) : lit };
    },
  },
];

/** Splits on top-level `and` / `or`, reading strings and regex literals as the engine does. */
function splitTop(body: string): { parts: string[]; joins: Set<string> } | null {
  const parts: string[] = [];
  const joins = new Set<string>();
  let depth = 0;
  let start = 0;
  const walk = walkExpression(body, 0, (token, at) => {
    if (token === '(' || token === '[' || token === '{') depth++;
    else if (token === ')' || token === ']' || token === '}') depth--;
    else if (depth === 0 && (token === 'and' || token === 'or')) {
      parts.push(body.slice(start, at).trim());
      joins.add(token);
      start = at + token.length;
    }
    return false;
  });
  if (walk.unclosed) return null;
  parts.push(body.slice(start).trim());
  return { parts, joins };
}

/** Reads back an expression `toExpression` wrote; null for anything else (edit it raw). */
export function parseCondition(expression: unknown): Condition | null {
  if (expression === undefined || expression === '') return { join: 'all', rows: [] };
  if (typeof expression !== 'string') return null;
  const m = /^\{\{ ([\s\S]*) \}\}$/.exec(expression);
  if (!m) return null;
  const split = splitTop(m[1]!);
  if (!split || split.joins.size > 1) return null;
  const { parts, joins } = split;
  const rows: ConditionRow[] = [];
  for (const part of parts) {
    const shape = SHAPES.map((s) => ({ s, m: s.re.exec(part) })).find((x) => x.m);
    if (!shape?.m) return null;
    const row = shape.s.read(shape.m);
    if (row.op === 'empty' && (shape.m[2] !== row.path || shape.m[3] !== row.path)) return null;
    rows.push(row);
  }
  const join = joins.has('or') ? 'any' : 'all';
  // Only what toExpression writes again, character for character, is the builder's.
  return toExpression({ join, rows }) === expression ? { join, rows } : null;
}
