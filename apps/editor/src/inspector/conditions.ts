/**
 * The condition builder's model: rows of (field path, operator, value) joined by all/any, written as one
 * JSONata `{{ }}` expression, and read back from expressions it wrote. Anything else stays raw: the parser
 * accepts only the exact shapes `toExpression` produces.
 */

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

function regexLiteral(pattern: string): string {
  return `/${pattern.replace(/\\?\//g, '\\/')}/`;
}

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
    read: (m) => ({ path: m[1]!, op: 'matches', value: m[2]!.replace(/\\\//g, '/') }),
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

/** Splits on ` and ` / ` or ` outside strings, regexes and parentheses. */
function splitTop(body: string): { parts: string[]; joins: Set<string> } {
  const parts: string[] = [];
  const joins = new Set<string>();
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === '`' || (ch === '/' && /[(,]\s*$/.test(body.slice(0, i)))) quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) {
      const m = /^ (and|or) /.exec(body.slice(i));
      if (m) {
        parts.push(body.slice(start, i));
        joins.add(m[1]!);
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(body.slice(start));
  return { parts, joins };
}

/** Reads back an expression `toExpression` wrote; null for anything else (edit it raw). */
export function parseCondition(expression: unknown): Condition | null {
  if (expression === undefined || expression === '') return { join: 'all', rows: [] };
  if (typeof expression !== 'string') return null;
  const m = /^\{\{ ([\s\S]*) \}\}$/.exec(expression);
  if (!m) return null;
  const { parts, joins } = splitTop(m[1]!);
  if (joins.size > 1) return null;
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
