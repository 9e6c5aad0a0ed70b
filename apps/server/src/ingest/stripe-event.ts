import { actionOf, familyOf } from '@switchyard/engine';

/** The columns the inbox keeps beside the raw payload. */
export interface ParsedStripeEvent {
  id: string;
  type: string;
  action: string;
  /** The trigger node type this event fires, e.g. `stripe.invoice`; null when no trigger family covers it. */
  family: string | null;
  objectId: string | null;
  created: number;
  livemode: boolean;
  account: string | null;
  apiVersion: string | null;
}

export type PayloadParse =
  | { ok: true; event: ParsedStripeEvent; value: Record<string, unknown> }
  | { ok: false; message: string };

export function parseStripeEvent(raw: string): PayloadParse {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'body is not a JSON object' };
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || e.id === '') return { ok: false, message: 'event has no "id"' };
  if (typeof e.type !== 'string' || e.type === '') return { ok: false, message: 'event has no "type"' };
  if (typeof e.created !== 'number' || !Number.isFinite(e.created))
    return { ok: false, message: 'event has no numeric "created"' };
  const data = e.data as { object?: { id?: unknown } } | undefined;
  return {
    ok: true,
    value: e,
    event: {
      id: e.id,
      type: e.type,
      action: actionOf(e.type),
      family: familyOf(e.type)?.nodeType ?? null,
      objectId: typeof data?.object?.id === 'string' ? data.object.id : null,
      created: Math.trunc(e.created),
      livemode: e.livemode === true,
      account: typeof e.account === 'string' ? e.account : null,
      apiVersion: typeof e.api_version === 'string' ? e.api_version : null,
    },
  };
}
