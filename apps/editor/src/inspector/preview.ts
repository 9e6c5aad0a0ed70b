/** Live previews: render a config string against the sample event, as the engine would at run time. */
import { buildEventContext, hasTemplate, type RunContext, renderTemplate } from '@switchyard/engine';

/** `settings`: secrets by name as their masks (the editor never has a value) and variables by name. */
export function sampleContext(
  sampleEvent: unknown,
  steps: Record<string, unknown> = {},
  settings: { secrets?: Record<string, string>; vars?: Record<string, unknown> } = {},
): RunContext | null {
  try {
    return {
      event: buildEventContext(sampleEvent),
      env: 'editor',
      secrets: settings.secrets ?? {},
      vars: settings.vars ?? {},
      steps,
    };
  } catch {
    return null;
  }
}

export type PreviewResult = { kind: 'none' } | { kind: 'value'; value: unknown } | { kind: 'error'; message: string };

export async function previewTemplate(text: string, context: RunContext | null, field: string): Promise<PreviewResult> {
  if (!hasTemplate(text)) return { kind: 'none' };
  if (!context) return { kind: 'error', message: 'no sample event to preview against' };
  try {
    return { kind: 'value', value: await renderTemplate(text, { context }, { field }) };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

export function formatPreview(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 1);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
