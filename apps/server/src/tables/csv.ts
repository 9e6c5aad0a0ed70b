/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled),
 * made safe to open in a spreadsheet: text starting with = + - @ (or a tab or carriage return, which some
 * spreadsheets skip before reading a formula) gets a leading apostrophe, so it is shown, never evaluated.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The text of one cell: strings as they are, numbers and booleans as written, objects and arrays as JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return FORMULA_START.test(value) ? `'${value}` : value;
  // A number is a number in any spreadsheet, even a negative one: only text can smuggle a formula.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value) ?? '';
  return FORMULA_START.test(json) ? `'${json}` : json;
}

export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, line end included. */
export function csvLine(texts: readonly string[]): string {
  return `${texts.map(quoteField).join(',')}\r\n`;
}
