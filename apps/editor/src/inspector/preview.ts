/**
 * Live previews: render a config string against an event (the sample, or the run shown), as the engine would at
 * run time.
 */
import { buildEventContext, hasTemplate, type RunContext, renderTemplate, resolveTemplates } from '@switchyard/engine';

/** `settings`: secrets by name as their masks (the editor never has a value) and variables by name. */
export function sampleContext(
  sampleEvent: unknown,
  steps: Record<string, unknown> = {},
  settings: { secrets?: Record<string, string>; vars?: Record<string, unknown> } = {},
  env: RunContext['env'] = 'editor',
): RunContext | null {
  try {
    return {
      event: buildEventContext(sampleEvent),
      env,
      secrets: settings.secrets ?? {},
      vars: settings.vars ?? {},
      steps,
    };
  } catch {
    return null;
  }
}

export type PreviewResult =
  | { kind: 'none' }
  | { kind: 'value'; value: unknown }
  /** A value that would leave a required field empty. */
  | { kind: 'warn'; value: unknown; message: string }
  | { kind: 'error'; message: string };

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** `required`: an empty result is a warning (this event would leave the field empty), not a green value. */
export async function previewTemplate(
  text: string,
  context: RunContext | null,
  field: string,
  { required = false }: { required?: boolean } = {},
): Promise<PreviewResult> {
  if (!hasTemplate(text)) return { kind: 'none' };
  if (!context) return { kind: 'error', message: 'no sample event to preview against' };
  try {
    const value = await renderTemplate(text, { context }, { field });
    if (required && isEmpty(value))
      return { kind: 'warn', value, message: 'empty for this event, and this field is required' };
    return { kind: 'value', value };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

export function formatPreview(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 1);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function holdsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (Array.isArray(value)) return value.some(holdsTemplate);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsTemplate);
  return false;
}

/** A JSON value with `{{ }}` inside its strings, rendered as the node would send it. */
export async function previewValue(value: unknown, context: RunContext | null, field: string): Promise<PreviewResult> {
  if (!holdsTemplate(value)) return { kind: 'none' };
  if (!context) return { kind: 'error', message: 'no sample event to preview against' };
  try {
    return { kind: 'value', value: await resolveTemplates(value, { context }, field) };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}
