/**
 * `{{ }}` templates evaluated with JSONata over `{ context }`.
 *
 * JSONata is a query language with no access to host objects, so there is no
 * sandbox to escape; what is left is resource use, which is bounded here by
 * expression length, nesting, evaluation depth, wall time and result size.
 * Regex literals run on RE2 (see regex.ts) and are checked when the expression is compiled.
 */
import jsonata from 'jsonata';
import { ExpressionError } from './errors.js';
import { compileRegex, RegexError, regexEngine } from './regex.js';

export interface ExpressionLimits {
  /** Characters in one `{{ }}` expression. */
  maxLength: number;
  /** Bracket nesting checked before parsing (the parser is recursive). */
  maxNesting: number;
  /** JSONata evaluation depth (`stack` option). */
  maxDepth: number;
  /** Wall time of one evaluation in ms (`timeout` option). */
  timeoutMs: number;
  /** Characters of any string produced while evaluating, and of an interpolated template. */
  maxStringLength: number;
  /** Items of any array produced while evaluating. */
  maxArrayLength: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  maxLength: 2_000,
  maxNesting: 32,
  maxDepth: 300,
  timeoutMs: 500,
  maxStringLength: 1_000_000,
  maxArrayLength: 100_000,
};

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; source: string; offset: number };

/** Parsed template: `whole` when the string is exactly one `{{ }}` (keeps the value's type). */
export interface ParsedTemplate {
  parts: TemplatePart[];
  whole: boolean;
}

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** A span `walkExpression` could not find the end of. */
export interface UnclosedSpan {
  what: 'string' | 'quoted name' | 'comment' | 'regular expression';
  at: number;
}

/** Where `walkExpression` stopped: the index `visit` stopped at, or -1 at the end of the text. */
export interface ExpressionWalk {
  stopped: number;
  /** The span the text ended inside, if any. */
  unclosed?: UnclosedSpan;
}

const OPERATOR_CHARS = new Set('.[]{}(),@#;:?+-*/%|=<>^&!~');
const DOUBLE_OPERATORS = new Set(['..', ':=', '!=', '>=', '<=', '**', '~>', '?:', '??']);
const KEYWORD_OPERATORS = new Set(['and', 'or', 'in']);
const SPACE = ' \t\n\r\v';
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?/y;
// Prefix operators whose operand JSONata lexes with regexes off (`(/a/)` is a division with no left side).
const PREFIX_OPERATORS = new Set(['-', '(', '[', '{', '|']);
// Operators that stand for a value where an operand is expected: wildcard, descendants, parent.
const VALUE_OPERATORS = new Set(['*', '**', '%']);

/**
 * Reads a JSONata expression token by token as JSONata's own tokenizer does, calling `visit` with each
 * operator (`+`, `!=`, `and`, …) and bracket, never with anything inside a string, quoted name, comment or
 * regex literal; `visit` returning true stops the walk at that token.
 *
 * Whether `/` starts a regex or divides follows JSONata's parser: after an operand (a name, literal,
 * closing bracket, or `*`/`**`/`%` standing for values) it divides; after an infix operator, `,`, `:`,
 * `;` or at the start it opens a regex, which ends at the first unescaped `/` outside its own brackets.
 */
export function walkExpression(
  text: string,
  from: number,
  visit: (token: string, at: number) => boolean,
): ExpressionWalk {
  // `operand`: the next token is in infix position; `regexOff`: JSONata lexes it with regexes off.
  let operand = false;
  let regexOff = false;
  let i = from;
  const afterOperand = () => {
    operand = true;
    regexOff = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.includes(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return { stopped: -1, unclosed: { what: 'comment', at: start } };
      i = close + 2;
      continue;
    }
    if (c === '/' && !regexOff) {
      const end = regexEnd(text, i + 1);
      if (end < 0) return { stopped: -1, unclosed: { what: 'regular expression', at: start } };
      i = end;
      while (text[i] === 'i' || text[i] === 'm') i++;
      afterOperand();
      continue;
    }
    const two = text.slice(i, i + 2);
    const op = DOUBLE_OPERATORS.has(two) ? two : OPERATOR_CHARS.has(c) ? c : undefined;
    if (op) {
      if (visit(op, i)) return { stopped: i };
      i += op.length;
      if (op === ')' || op === ']' || op === '}') afterOperand();
      else if (operand) {
        operand = false;
        regexOff = false;
      } else if (VALUE_OPERATORS.has(op)) afterOperand();
      else regexOff = PREFIX_OPERATORS.has(op);
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { stopped: -1, unclosed: { what: 'string', at: start } };
      i = j + 1;
      afterOperand();
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) return { stopped: -1, unclosed: { what: 'quoted name', at: start } };
      i = close + 1;
      afterOperand();
      continue;
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      afterOperand();
      continue;
    }
    let j = i;
    while (j < text.length && !SPACE.includes(text[j]!) && !OPERATOR_CHARS.has(text[j]!)) j++;
    i = j;
    // `and`, `or` and `in` are operators between operands and plain names where an operand is expected.
    const word = text.slice(start, j);
    if (operand && KEYWORD_OPERATORS.has(word)) {
      if (visit(word, start)) return { stopped: start };
      operand = false;
      regexOff = false;
    } else afterOperand();
  }
  return { stopped: -1 };
}

/** Index after the `/` closing a regex whose pattern starts at `from`, as JSONata's tokenizer finds it; -1 if none. */
function regexEnd(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < text.length; j++) {
    const c = text[j]!;
    if (c === '/' && depth === 0) {
      let backslashes = 0;
      while (text[j - backslashes - 1] === '\\') backslashes++;
      if (backslashes % 2 === 0) return j + 1;
    }
    // JSONata's own rule: a bracket counts unless the character before it is a backslash.
    if (text[j - 1] !== '\\') {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
  }
  return -1;
}

/**
 * Splits a string into text and expressions. The closing `}}` is found as JSONata reads the expression,
 * so `{{ {"a": {"b": 1}} }}` is one expression and a `}}` or quote inside a string or regex literal
 * (`{{ $contains(x, /don't/) }}`) is part of it.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let i = 0;
  let textStart = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const start = open + 2;
    let depth = 0;
    const walk = walkExpression(text, start, (c, at) => {
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0 && text[at + 1] === '}') return true;
        depth = Math.max(0, depth - 1);
      }
      return false;
    });
    const end = walk.stopped;
    if (end < 0) {
      const inside = walk.unclosed ? ` (the ${walk.unclosed.what} at position ${walk.unclosed.at} is not closed)` : '';
      throw new TemplateSyntaxError(`unclosed {{${inside}`, open);
    }
    if (open > textStart) parts.push({ kind: 'text', text: text.slice(textStart, open) });
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    parts.push({ kind: 'expr', source: raw.trim(), offset: start + lead });
    i = end + 2;
    textStart = i;
  }
  if (textStart < text.length) parts.push({ kind: 'text', text: text.slice(textStart) });
  const whole = parts.length === 1 && parts[0]!.kind === 'expr';
  return { parts, whole };
}

interface ErrorLocation {
  /** e.g. `nodes[route].config.value` */
  field: string;
}

function maxNesting(source: string): number {
  let depth = 0;
  let max = 0;
  walkExpression(source, 0, (c) => {
    if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
    return false;
  });
  return max;
}

interface JsonataFailure {
  message?: string;
  code?: string;
  position?: number;
  token?: string;
}

function fail(loc: ErrorLocation, offset: number, err: unknown, what: string): ExpressionError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as JsonataFailure;
  const pos = typeof e.position === 'number' ? offset + e.position : undefined;
  const where = pos === undefined ? '' : ` at position ${pos}`;
  const message = `${loc.field}: ${what}${where}: ${e.message ?? String(err)}`;
  return new ExpressionError(message, {
    field: loc.field,
    ...(pos !== undefined ? { position: pos } : {}),
    ...(e.code ? { code: e.code } : {}),
    cause: err,
  });
}

/** Checks one expression's size and syntax without evaluating it. */
export function compileExpression(
  source: string,
  loc: ErrorLocation,
  offset = 0,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): jsonata.Expression {
  if (source.length === 0) throw fail(loc, offset, { message: 'empty expression' }, 'invalid expression');
  if (source.length > limits.maxLength) {
    throw fail(loc, offset, { message: `longer than ${limits.maxLength} characters` }, 'expression too long');
  }
  if (maxNesting(source) > limits.maxNesting) {
    throw fail(loc, offset, { message: `nested deeper than ${limits.maxNesting} levels` }, 'expression too deep');
  }
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      RegexEngine: regexEngine(limits.timeoutMs),
    });
  } catch (err) {
    throw fail(loc, offset, err, 'invalid expression');
  }
  checkRegexLiterals(expr.ast(), loc, offset);
  return expr;
}

interface RegexNode {
  type: 'regex';
  value: RegExp;
  position?: number;
}

/**
 * JSONata builds its regex engine's objects only when a literal is evaluated; compiling each literal on
 * RE2 here makes a pattern RE2 cannot run a save-time error naming the field, like a syntax error.
 */
function checkRegexLiterals(ast: unknown, loc: ErrorLocation, offset: number): void {
  const pending: unknown[] = [ast];
  const seen = new Set<object>();
  while (pending.length) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null || node instanceof RegExp || seen.has(node)) continue;
    seen.add(node);
    if ((node as { type?: unknown }).type === 'regex' && (node as RegexNode).value instanceof RegExp) {
      const { value, position } = node as RegexNode;
      try {
        compileRegex(value.source, value.flags);
      } catch (err) {
        if (!(err instanceof RegexError)) throw err;
        const shown = value.source.length > 60 ? `${value.source.slice(0, 60)}…` : value.source;
        throw fail(loc, offset, { message: err.message, position }, `regular expression /${shown}/`);
      }
      continue;
    }
    pending.push(...(Array.isArray(node) ? node : Object.values(node)));
  }
}

/**
 * Compiled, guarded expressions by limits and source. Parsing costs more than evaluating, and the same few
 * templates run on every event. Sharing is safe: JSONata 2 gives every evaluate() call its own frame (depth,
 * timestamp), and the guards below keep no state of their own.
 */
const compiled = new Map<string, jsonata.Expression>();
const COMPILED_LIMIT = 5_000;

function guardedExpression(
  source: string,
  loc: ErrorLocation,
  offset: number,
  limits: ExpressionLimits,
): jsonata.Expression {
  const key = `${limits.timeoutMs}:${limits.maxDepth}:${limits.maxStringLength}:${limits.maxArrayLength}:${limits.maxLength}:${limits.maxNesting}\u0000${source}`;
  let expr = compiled.get(key);
  if (!expr) {
    expr = compileExpression(source, loc, offset, limits);
    installGuards(expr, limits);
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(key, expr);
  }
  return expr;
}

// Guards run on every evaluation step; thrown objects follow JSONata's error shape.
function installGuards(expr: jsonata.Expression, limits: ExpressionLimits): void {
  const check = (node: { position?: number }, value: unknown): void => {
    if (typeof value === 'string' && value.length > limits.maxStringLength) {
      throw {
        code: 'SY0001',
        position: node.position,
        message: `string result longer than ${limits.maxStringLength} characters`,
      };
    }
    if (Array.isArray(value) && value.length > limits.maxArrayLength) {
      throw {
        code: 'SY0002',
        position: node.position,
        message: `array result longer than ${limits.maxArrayLength} items`,
      };
    }
  };
  expr.assign(
    Symbol.for('jsonata.__evaluate_exit') as unknown as string,
    (node: { position?: number }, _i: unknown, _e: unknown, result: unknown) => check(node, result),
  );
  // $eval would parse text that never passed the length, nesting and regex checks.
  expr.registerFunction('eval', () => {
    throw { code: 'SY0003', message: '$eval is disabled' };
  });
  // $pad allocates its result before any guard sees it, so cap the width first.
  expr.registerFunction(
    'pad',
    (str: string | undefined, width: number, char?: string) => {
      if (str === undefined) return undefined;
      if (Math.abs(width) > limits.maxStringLength) {
        throw { code: 'SY0001', message: `$pad width larger than ${limits.maxStringLength}` };
      }
      const fill = char === undefined || char === '' ? ' ' : char;
      const chars = Array.from(str);
      const missing = Math.abs(width) - chars.length;
      if (missing <= 0) return str;
      const padding = Array.from(fill.repeat(Math.ceil(missing / Array.from(fill).length)))
        .slice(0, missing)
        .join('');
      return width > 0 ? str + padding : padding + str;
    },
    '<s-ns?:s>',
  );
}

/** Evaluation input: JSONata sees `{ context }`, so `context.event.object.id` is a path. */
export interface ExpressionScope {
  context: unknown;
}

export async function evaluateExpression(
  source: string,
  scope: ExpressionScope,
  loc: ErrorLocation,
  offset = 0,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  const expr = guardedExpression(source, loc, offset, limits);
  let result: unknown;
  try {
    result = await expr.evaluate(scope);
  } catch (err) {
    throw fail(loc, offset, err, 'expression failed');
  }
  return toPlain(result);
}

/**
 * JSON.parse makes `"__proto__"` an own key; assigning it would set the copy's prototype instead (dropping
 * the key and letting its value show through every lookup), so it is defined as a plain property.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Strips JSONata sequence flags and functions so results are plain JSON values. */
function toPlain(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const plain = toPlain(v);
      if (plain !== undefined) setOwn(out, k, plain);
    }
    return out;
  }
  return value;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Renders one string: a whole `{{ }}` keeps its type, anything else becomes text. */
export async function renderTemplate(
  text: string,
  scope: ExpressionScope,
  loc: ErrorLocation,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  if (!hasTemplate(text)) return text;
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(text);
  } catch (err) {
    const pos = err instanceof TemplateSyntaxError ? err.position : undefined;
    throw fail(loc, 0, { message: (err as Error).message, position: pos }, 'invalid template');
  }
  if (parsed.whole) {
    const part = parsed.parts[0] as Extract<TemplatePart, { kind: 'expr' }>;
    return evaluateExpression(part.source, scope, loc, part.offset, limits);
  }
  let out = '';
  for (const part of parsed.parts) {
    out +=
      part.kind === 'text'
        ? part.text
        : stringify(await evaluateExpression(part.source, scope, loc, part.offset, limits));
    if (out.length > limits.maxStringLength) {
      throw fail(loc, 0, { message: `longer than ${limits.maxStringLength} characters` }, 'template result too long');
    }
  }
  return out;
}

/** Renders every string inside a config value (objects and arrays walked), keeping other values. */
export async function resolveTemplates(
  value: unknown,
  scope: ExpressionScope,
  field: string,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  if (typeof value === 'string') return renderTemplate(value, scope, { field }, limits);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await resolveTemplates(value[i], scope, `${field}[${i}]`, limits));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      setOwn(out, k, await resolveTemplates(v, scope, `${field}.${k}`, limits));
    return out;
  }
  return value;
}

/** Static check of every template in a config value, for validation before saving. */
export function checkTemplates(
  value: unknown,
  field: string,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): ExpressionError[] {
  const errors: ExpressionError[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (!hasTemplate(v)) return;
      try {
        for (const part of parseTemplate(v).parts) {
          if (part.kind === 'expr') compileExpression(part.source, { field: path }, part.offset, limits);
        }
      } catch (err) {
        if (err instanceof ExpressionError) errors.push(err);
        else {
          const pos = err instanceof TemplateSyntaxError ? err.position : undefined;
          errors.push(fail({ field: path }, 0, { message: (err as Error).message, position: pos }, 'invalid template'));
        }
      }
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, `${path}[${i}]`);
    } else if (v !== null && typeof v === 'object')
      for (const [k, item] of Object.entries(v)) walk(item, `${path}.${k}`);
  };
  walk(value, field);
  return errors;
}
