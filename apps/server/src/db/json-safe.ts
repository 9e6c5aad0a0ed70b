/**
 * PostgreSQL's jsonb (and text) cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate escape. JavaScript
 * strings can contain both, e.g. a binary HTTP answer parsed as text or a JSON body with "\u0000". Every value the
 * server writes as JSON goes through here, so one such value can never fail a shared statement.
 */

const REPLACEMENT = '\ufffd';

/**
 * In JSON.stringify's output (well-formed since ES2019) a NUL is the escape \u0000 and a lone surrogate is the
 * only surrogate ever escaped, so both are fixed on the text. An even run of backslashes before the escape is a
 * literal backslash, not part of it.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/** JSON text of `value` that jsonb accepts: NUL and lone surrogates (in strings and keys) become U+FFFD. */
export function toJsonbText(value: unknown): string {
  const text = stringify(value);
  // Fast path: nearly every value has no \u escape at all.
  return text.includes('\\u') ? text.replace(UNSTORABLE_ESCAPE, `$1\\ufffd`) : text;
}

/** JSON.stringify, degrading what it throws on (a BigInt becomes text, a cycle "[Circular]") instead of failing the write. */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? 'null'
    );
  }
}

/** Like toJsonbText, or null for null/undefined (a nullable jsonb column). */
export function toNullableJsonbText(value: unknown): string | null {
  return value === undefined || value === null ? null : toJsonbText(value);
}

/** A string a text column accepts: NUL and lone surrogates become U+FFFD. */
export function toStorableText(text: string): string {
  return UNSTORABLE_CHAR.test(text) ? text.replace(UNSTORABLE_CHAR_ALL, REPLACEMENT) : text;
}

// Code units, not code points (no u flag): a high surrogate not followed by a low one, a low one not preceded by a high one.
const UNSTORABLE_CHAR_SOURCE = '\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]';
const UNSTORABLE_CHAR = new RegExp(UNSTORABLE_CHAR_SOURCE);
const UNSTORABLE_CHAR_ALL = new RegExp(UNSTORABLE_CHAR_SOURCE, 'g');

/**
 * Why raw JSON text (as received, not re-serialised) cannot be stored as jsonb, or undefined when it can: an
 * escaped NUL, or a surrogate escape that is not a high-low pair. Raw (unescaped) characters cannot be either:
 * the body was decoded from UTF-8, which has no surrogates, and JSON forbids raw control characters in strings.
 */
export function unstorableJsonReason(raw: string): string | undefined {
  let at = raw.indexOf('\\u');
  while (at !== -1) {
    // Count the backslashes before this one: an odd total means this backslash is itself escaped.
    let slashes = 0;
    for (let i = at - 1; i >= 0 && raw.charCodeAt(i) === 0x5c; i--) slashes++;
    if (slashes % 2 === 0) {
      const unit = Number.parseInt(raw.slice(at + 2, at + 6), 16);
      if (unit === 0) return `the JSON contains "\\u0000" at character ${at}, which PostgreSQL cannot store`;
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const next = raw.slice(at + 6, at + 8) === '\\u' ? Number.parseInt(raw.slice(at + 8, at + 12), 16) : Number.NaN;
        if (!(next >= 0xdc00 && next <= 0xdfff))
          return `the JSON contains a lone surrogate "${raw.slice(at, at + 6)}" at character ${at}, which PostgreSQL cannot store`;
        at = raw.indexOf('\\u', at + 12);
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff)
        return `the JSON contains a lone surrogate "${raw.slice(at, at + 6)}" at character ${at}, which PostgreSQL cannot store`;
    }
    at = raw.indexOf('\\u', at + 2);
  }
  return undefined;
}

/**
 * SQLSTATE classes caused by the values of one row rather than by the database: 22 (data exception, e.g. 22P05
 * untranslatable character, 22021 bad encoding, 22P02 invalid JSON) and 54 (a value over a program limit). A
 * batch failing with one of these is retried row by row; anything else (connection lost, database down) fails the
 * whole batch, since trying each row would only fail each one again.
 */
export function isRowDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/** The database's reason for refusing a row, without the row itself. */
export function rowErrorReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e.message ?? String(error)}${e.code ? ` (SQLSTATE ${e.code})` : ''}`;
}

/** A row the database refused for its content; the rest of its batch was stored. */
export class UnstorableValueError extends Error {
  override name = 'UnstorableValueError';
}
