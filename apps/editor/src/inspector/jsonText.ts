/** A JSON field's text and value: what the editor shows, and what it saves (the parsed value, never the text). */

export type JsonParse = { ok: true; value: unknown } | { ok: true; empty: true } | { ok: false; message: string };

export function jsonTextOf(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** Parses what was typed; the error says where, in words. */
export function parseJsonText(text: string): JsonParse {
  if (text.trim() === '') return { ok: true, empty: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: `Not valid JSON yet${where(text, (err as Error).message)}.` };
  }
}

function where(text: string, message: string): string {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return ` (line ${lineCol[1]}, column ${lineCol[2]})`;
  const pos = /position (\d+)/.exec(message);
  if (!pos) return /end of (JSON|data) input/i.test(message) ? ': it ends too early' : '';
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}
