/**
 * A conservative static check for regular expressions written by users.
 *
 * JavaScript's RegExp backtracks, and one `exec` cannot be interrupted by a
 * timer, so the only defence is refusing the pattern shapes that backtrack
 * exponentially (star height > 1, repeated alternation, back-references) and
 * capping pattern and input length. It rejects some harmless patterns such as
 * `(foo|bar)+`; that is the price of never hanging a worker.
 */

export const DEFAULT_MAX_PATTERN_LENGTH = 256;
export const DEFAULT_MAX_REGEX_INPUT_LENGTH = 10_000;

interface GroupState {
  hasInnerRepeat: boolean;
  hasAlternation: boolean;
}

/** Returns why the pattern is unsafe, or undefined when it passes. */
export function unsafeRegexReason(pattern: string, maxLength = DEFAULT_MAX_PATTERN_LENGTH): string | undefined {
  if (pattern.length > maxLength) return `pattern longer than ${maxLength} characters`;
  const stack: GroupState[] = [{ hasInnerRepeat: false, hasAlternation: false }];
  let i = 0;
  // What the previous atom was, so a following quantifier knows what it repeats.
  let lastGroup: GroupState | undefined;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return 'back-references are not allowed';
      i += 2;
      lastGroup = undefined;
      continue;
    }
    if (ch === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      lastGroup = undefined;
      continue;
    }
    if (ch === '(') {
      stack.push({ hasInnerRepeat: false, hasAlternation: false });
      i++;
      // Skip group modifiers such as ?:, ?=, ?!, ?<name>, ?<=, ?<!
      if (pattern[i] === '?') {
        i++;
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
          while (i < pattern.length && pattern[i] !== '>') i++;
        }
        i++;
      }
      lastGroup = undefined;
      continue;
    }
    if (ch === ')') {
      if (stack.length === 1) return 'unbalanced parenthesis';
      const closed = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      if (closed.hasInnerRepeat) parent.hasInnerRepeat = true;
      lastGroup = closed;
      i++;
      continue;
    }
    if (ch === '|') {
      top.hasAlternation = true;
      lastGroup = undefined;
      i++;
      continue;
    }
    const quant = readQuantifier(pattern, i);
    if (quant) {
      if (quant.repeats) {
        if (lastGroup?.hasInnerRepeat) return 'nested quantifiers (e.g. (a+)+) can backtrack catastrophically';
        if (lastGroup?.hasAlternation) return 'a repeated alternation (e.g. (a|b)*) can backtrack catastrophically';
        top.hasInnerRepeat = true;
      }
      i = quant.end;
      // A lazy/possessive marker belongs to the quantifier.
      if (pattern[i] === '?') i++;
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
    i++;
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return undefined;
}

function readQuantifier(p: string, i: number): { repeats: boolean; end: number } | undefined {
  const ch = p[i];
  if (ch === '*' || ch === '+') return { repeats: true, end: i + 1 };
  if (ch === '?') return { repeats: false, end: i + 1 };
  if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { repeats: max > 1, end: i + m[0].length };
  }
  return undefined;
}

export function compileSafeRegex(pattern: string, flags = '', maxLength = DEFAULT_MAX_PATTERN_LENGTH): RegExp {
  const reason = unsafeRegexReason(pattern, maxLength);
  if (reason) throw new UnsafeRegexError(`unsafe regular expression: ${reason}`);
  return new RegExp(pattern, flags);
}

export class UnsafeRegexError extends Error {
  override readonly name = 'UnsafeRegexError';
}

/**
 * A RegExp constructor for JSONata's `RegexEngine` option, so regex literals
 * inside expressions (`$match(x, /(a+)+$/)`) pass the same check.
 */
export class SafeRegExp extends RegExp {
  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    const reason = unsafeRegexReason(source);
    if (reason) throw new UnsafeRegexError(`unsafe regular expression /${source.slice(0, 40)}/: ${reason}`);
    super(pattern, flags);
  }

  override exec(input: string): RegExpExecArray | null {
    if (input.length > DEFAULT_MAX_REGEX_INPUT_LENGTH) {
      throw new UnsafeRegexError(`regular expression input longer than ${DEFAULT_MAX_REGEX_INPUT_LENGTH} characters`);
    }
    return super.exec(input);
  }
}
