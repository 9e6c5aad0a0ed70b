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

export type PayloadRefusal = 'invalid_json' | 'not_an_object' | 'bad_id' | 'bad_type' | 'bad_created';

export type PayloadParse =
  | { ok: true; event: ParsedStripeEvent; value: Record<string, unknown> }
  | { ok: false; reason: PayloadRefusal; message: string };

/** Longest id or type stored: far beyond any Stripe value, short enough to keep indexes and log lines sane. */
export const MAX_ENVELOPE_FIELD_LENGTH = 255;

/** Stripe event ids: `evt_` then letters, digits and underscores (`evt_1NG8Du2eZvKYlo2CUI79vXWy`, `evt_test_…`). */
const STRIPE_EVENT_ID = /^evt_[A-Za-z0-9_]+$/;

export function isStripeEventId(id: string): boolean {
  return id.length <= MAX_ENVELOPE_FIELD_LENGTH && STRIPE_EVENT_ID.test(id);
}

/**
 * The envelope every stored event must have. A signed body can still be malformed (a secret leaked to a
 * test tool, a hand-made delivery): refusing it here keeps ids, types and `created` usable as keys and numbers.
 */
export function parseStripeEvent(raw: string): PayloadParse {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return refuse('invalid_json', 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refuse('not_an_object', 'body is not a JSON object');
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || e.id === '') return refuse('bad_id', 'event has no "id"');
  if (e.id.length > MAX_ENVELOPE_FIELD_LENGTH)
    return refuse('bad_id', `event "id" is longer than ${MAX_ENVELOPE_FIELD_LENGTH} characters`);
  if (!STRIPE_EVENT_ID.test(e.id))
    return refuse('bad_id', 'event "id" is not a Stripe event id ("evt_" then letters, digits and underscores)');
  if (typeof e.type !== 'string' || e.type === '') return refuse('bad_type', 'event has no "type"');
  if (e.type.length > MAX_ENVELOPE_FIELD_LENGTH)
    return refuse('bad_type', `event "type" is longer than ${MAX_ENVELOPE_FIELD_LENGTH} characters`);
  if (typeof e.created !== 'number' || !Number.isSafeInteger(e.created))
    return refuse('bad_created', 'event "created" is not an integer (unix seconds)');
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
      created: e.created,
      livemode: e.livemode === true,
      account: typeof e.account === 'string' ? e.account : null,
      apiVersion: typeof e.api_version === 'string' ? e.api_version : null,
    },
  };
}

function refuse(reason: PayloadRefusal, message: string): PayloadParse {
  return { ok: false, reason, message };
}
