/** The values a builder typed for a row, checked before anything is sent: a JSON object, or why not. */
export function parseRowValues(text: string): { values: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { error: 'Type the row’s values as JSON, for example { "status": "paid" }.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `The values are not valid JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { error: 'The values must be a JSON object with named fields, for example { "status": "paid" }.' };
  return { values: parsed as Record<string, unknown> };
}
