/**
 * The run context of docs/triggers.md: `context.event`, `context.env`, `context.steps`, and the environment's
 * `context.secrets` and `context.vars`.
 */
import { z } from 'zod';
import type { EnvName } from './environments.js';
import { actionOf } from './triggers/families.js';

export { ENV_NAMES, type EnvName } from './environments.js';

export interface EventContext {
  id: string;
  type: string;
  action: string;
  created: number;
  livemode: boolean;
  api_version: string | null;
  account?: string;
  /** = data.object */
  object: Record<string, unknown>;
  /** = data.previous_attributes, present on *.updated events */
  previous_attributes?: Record<string, unknown>;
  /** The raw data member of the Stripe event. */
  data: Record<string, unknown>;
}

export interface RunContext {
  event: EventContext;
  env: EnvName;
  /** The environment's secrets by name: real values, for ports; records only ever hold their masks. */
  secrets: Record<string, string>;
  /** The environment's variables by name: plain JSON values. */
  vars: Record<string, unknown>;
  /** Output of every node that ran before, by node id (inside a loop, this iteration's outputs). */
  steps: Record<string, unknown>;
  /** Inside a loop body: the current item and its index. */
  item?: unknown;
  index?: number;
}

/**
 * The envelope fields the context needs. Only the envelope is checked: `data.object` is passed through as
 * is, because copying a large Stripe object key by key on every run costs more than the run itself.
 */
const StripeEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number(),
  livemode: z.boolean().default(false),
  api_version: z.string().nullish(),
  account: z.string().optional(),
  data: z.looseObject({}),
});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Builds `context.event` from a Stripe event object (as parsed from the webhook body). */
export function buildEventContext(stripeEvent: unknown): EventContext {
  // Checked on a shallow copy so the (possibly large) data member is not walked.
  const envelope = isPlainObject(stripeEvent)
    ? { ...stripeEvent, data: isPlainObject(stripeEvent.data) ? {} : stripeEvent.data }
    : stripeEvent;
  const parsed = StripeEventSchema.safeParse(envelope);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new InvalidEventError(
      `not a Stripe event: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`,
    );
  }
  const source = (stripeEvent as { data: Record<string, unknown> }).data;
  if (!isPlainObject(source.object)) throw new InvalidEventError('not a Stripe event: data.object: expected an object');
  if (source.previous_attributes !== undefined && !isPlainObject(source.previous_attributes)) {
    throw new InvalidEventError('not a Stripe event: data.previous_attributes: expected an object');
  }
  const e = {
    ...parsed.data,
    data: source as { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> },
  };
  const ctx: EventContext = {
    id: e.id,
    type: e.type,
    action: actionOf(e.type),
    created: e.created,
    livemode: e.livemode,
    api_version: e.api_version ?? null,
    object: e.data.object,
    data: e.data as Record<string, unknown>,
  };
  if (e.account !== undefined) ctx.account = e.account;
  if (e.data.previous_attributes !== undefined) ctx.previous_attributes = e.data.previous_attributes;
  return ctx;
}

/** Accepts either a raw Stripe event or an already built context. */
export function toEventContext(event: unknown): EventContext {
  if (event && typeof event === 'object' && 'action' in event && 'object' in event && 'data' in event) {
    return event as EventContext;
  }
  return buildEventContext(event);
}
