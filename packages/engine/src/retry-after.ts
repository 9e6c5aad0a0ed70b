/**
 * The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. It comes from whatever
 * server a workflow calls, so it is read strictly and bounded: anything that is not one of those forms
 * counts as absent, and no answer can park a run for longer than `MAX_RETRY_AFTER_MS`.
 */

/** The longest wait a `Retry-After` can impose (1 hour); a node's `retry.maxBackoffMs` can only lower it. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three forms a recipient must accept: IMF-fixdate, then the obsolete RFC 850 and asctime forms.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ([A-Z][a-z]{2}) (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-([A-Z][a-z]{2})-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ([A-Z][a-z]{2}) ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const [hours, minutes, seconds] = [Number(h), Number(m), Number(s)];
  if (monthIndex < 0 || hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const at = Date.UTC(year, monthIndex, day, hours, minutes, seconds);
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  return new Date(at).getUTCDate() === day ? at : undefined;
}

/** Milliseconds since the epoch of an HTTP-date, or undefined when the text is not one. */
export function parseHttpDate(text: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC_850.exec(text);
  if (m) {
    // A two-digit year more than 50 years ahead is the most recent past year with those digits.
    const thisYear = new Date(now).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!);
  return undefined;
}

/**
 * The delay a `Retry-After` value asks for, in ms, at most `max`; undefined when the value is absent or
 * not delay-seconds or an HTTP-date (the caller then backs off as usual). `now` is injected so tests and
 * resumed runs stay deterministic.
 */
export function parseRetryAfter(
  value: string | undefined | null,
  now: number,
  max: number = MAX_RETRY_AFTER_MS,
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number | undefined;
  // delay-seconds is digits only; fractions are not in the grammar but are common enough to honour.
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = parseHttpDate(text, now);
    if (at === undefined) return undefined;
    ms = at - now;
  }
  // Digits can still overflow to Infinity; a huge wait is the longest wait, not no wait.
  if (Number.isNaN(ms)) return undefined;
  return Math.round(Math.min(max, Math.max(0, ms)));
}
