/**
 * Every regular expression a user writes (a switch case's `matches`, a regex literal inside a `{{ }}`
 * expression) runs on RE2 (the re2js port), whose matching time grows linearly with the input, never
 * exponentially as JavaScript's backtracking RegExp does on patterns like `^(\w?\w?\w?)+!`.
 *
 * RE2 has no backreferences and no lookaround; those are refused with a sentence a builder can act on.
 * Linear is still proportional to pattern size times input length, so one search is capped by
 * `MAX_REGEX_SEARCH_COST`, and a series of searches (global matching in `$match`, `$replace`, `$split`)
 * by the expression time limit, which JSONata itself only checks between its own evaluation steps.
 */
import { RE2JS } from 're2js';

/** Compiled program size (RE2's measure of a pattern's cost) above which a pattern is refused. */
export const MAX_REGEX_PROGRAM_SIZE = 10_000;

/**
 * Upper bound of one search: program size × characters searched. At most about 0.4 s of the slowest
 * (capture-tracking) engine; a 20-instruction pattern may search a million characters.
 */
export const MAX_REGEX_SEARCH_COST = 20_000_000;

/** A pattern RE2 cannot run, or an input too large for one search. */
export class RegexError extends Error {
  override readonly name = 'RegexError';
}

const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};
// `g` selects the lastIndex protocol of exec; `u` changes nothing since RE2 always matches code points.
const ACCEPTED_FLAGS = new Set(['g', 'i', 'm', 's', 'u']);

const UNSUPPORTED_GROUPS: readonly (readonly [string, string])[] = [
  ['(?=', 'a lookahead ((?=…))'],
  ['(?!', 'a negative lookahead ((?!…))'],
  ['(?<=', 'a lookbehind ((?<=…))'],
  ['(?<!', 'a negative lookbehind ((?<!…))'],
];

/** The JavaScript constructs RE2 lacks, named for the builder; undefined when the pattern has none. */
function unsupportedConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return `a backreference (\\${/^\d+/.exec(source.slice(i + 1))![0]})`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'a named backreference (\\k<…>)';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') {
      for (const [opener, name] of UNSUPPORTED_GROUPS) if (source.startsWith(opener, i)) return name;
    }
  }
  return undefined;
}

function flagBits(flags: string): number {
  let bits = 0;
  for (const f of flags) {
    if (!ACCEPTED_FLAGS.has(f)) throw new RegexError(`the flag "${f}" is not supported (use i, m, s)`);
    bits |= FLAG_BITS[f] ?? 0;
  }
  return bits;
}

/** Compiled patterns by flags and source: JSONata builds a regex object every time a literal is evaluated. */
const compiled = new Map<string, RE2JS>();
const COMPILED_LIMIT = 1_000;

/** Compiles a JavaScript-syntax pattern on RE2; throws `RegexError` saying why it cannot. */
export function compileRegex(source: string, flags = ''): RE2JS {
  const key = `${flags}/${source}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const construct = unsupportedConstruct(source);
  if (construct) throw new RegexError(`this pattern uses ${construct}, which Switchyard does not support`);
  const bits = flagBits(flags);
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (err) {
    const why = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw new RegexError(`invalid regular expression: ${why}`);
  }
  if (re.programSize() > MAX_REGEX_PROGRAM_SIZE) {
    throw new RegexError(
      `this pattern is too complex (size ${re.programSize()}, at most ${MAX_REGEX_PROGRAM_SIZE}); shorten its repetition counts`,
    );
  }
  if (compiled.size >= COMPILED_LIMIT) compiled.clear();
  compiled.set(key, re);
  return re;
}

/** Why a pattern cannot be used, in a builder's words; undefined when it can. */
export function regexProblem(source: string, flags = ''): string | undefined {
  try {
    compileRegex(source, flags);
    return undefined;
  } catch (err) {
    if (err instanceof RegexError) return err.message;
    throw err;
  }
}

function checkSearchCost(re: RE2JS, searched: number): void {
  const cost = re.programSize() * searched;
  if (cost > MAX_REGEX_SEARCH_COST) {
    const most = Math.floor(MAX_REGEX_SEARCH_COST / re.programSize());
    throw new RegexError(
      `regular expression input too long: this pattern can search at most ${most} characters, the input has ${searched}`,
    );
  }
}

export interface LinearRegExpOptions {
  /** Wall time allowed for all searches made through this object, in ms (one search is never interrupted). */
  timeoutMs?: number;
}

/**
 * The part of RegExp that JSONata's `RegexEngine` option relies on (`new Engine(regexp)`, `lastIndex`,
 * `exec` with index and groups), and `test`, backed by RE2. With the `g` flag, `exec` follows
 * RegExp's protocol: it searches from `lastIndex` and moves it to the end of the match (0 when none).
 */
export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  lastIndex = 0;
  readonly #re: RE2JS;
  readonly #deadline: number | undefined;

  constructor(pattern: string | RegExp | LinearRegExp, flags?: string, options: LinearRegExpOptions = {}) {
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    this.global = this.flags.includes('g');
    this.#re = compileRegex(this.source, this.flags);
    this.#deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  }

  #beginSearch(searched: number): void {
    if (this.#deadline !== undefined && Date.now() > this.#deadline) {
      throw new RegexError(`regular expression /${this.source.slice(0, 40)}/: searches exceeded the time limit`);
    }
    checkSearchCost(this.#re, searched);
  }

  exec(input: string): RegExpExecArray | null {
    const text = String(input);
    const from = this.global ? this.lastIndex : 0;
    if (from > text.length) {
      this.lastIndex = 0;
      return null;
    }
    this.#beginSearch(text.length - from);
    // The DFA answers "no match" much faster than the capture-tracking search.
    const matcher = from === 0 && !this.#re.test(text) ? undefined : this.#re.matcher(text);
    if (!matcher?.find(from)) {
      if (this.global) this.lastIndex = 0;
      return null;
    }
    const parts: (string | undefined)[] = [];
    for (let g = 0; g <= matcher.groupCount(); g++) parts.push(matcher.group(g) ?? undefined);
    const named = this.#re.namedGroups();
    const groups = Object.keys(named).length
      ? Object.fromEntries(Object.entries(named).map(([name, g]) => [name, parts[g]]))
      : undefined;
    if (this.global) this.lastIndex = matcher.end();
    return Object.assign(parts, { index: matcher.start(), input: text, groups }) as unknown as RegExpExecArray;
  }

  test(input: string): boolean {
    if (this.global) return this.exec(input) !== null;
    const text = String(input);
    this.#beginSearch(text.length);
    return this.#re.test(text);
  }
}

const engines = new Map<number, RegExpConstructor>();

/** A `RegexEngine` for JSONata whose searches stop at the expression time limit. */
export function regexEngine(timeoutMs: number): RegExpConstructor {
  let engine = engines.get(timeoutMs);
  if (!engine) {
    engine = class extends LinearRegExp {
      constructor(pattern: string | RegExp, flags?: string) {
        super(pattern, flags, { timeoutMs });
      }
    } as unknown as RegExpConstructor;
    engines.set(timeoutMs, engine);
  }
  return engine;
}
