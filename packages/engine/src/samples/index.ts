/**
 * `@switchyard/engine/samples`: one Stripe event per type that has a sample, for the editor's sample picker,
 * expression previews and test runs: the recorded events of fixtures/stripe-events, and for every other catalogue
 * type an event wrapping Stripe's sample object of its resource (fixtures/stripe-openapi-fixtures3.json). A subpath
 * of its own, not the main entry, so that a process running workflows never loads some hundred kilobytes of
 * sample payloads.
 */
import chargeFailed from '../../fixtures/stripe-events/charge.failed.json' with { type: 'json' };
import chargeRefunded from '../../fixtures/stripe-events/charge.refunded.json' with { type: 'json' };
import chargeSucceeded from '../../fixtures/stripe-events/charge.succeeded.json' with { type: 'json' };
import chargeUpdated from '../../fixtures/stripe-events/charge.updated.json' with { type: 'json' };
import checkoutSessionCompleted from '../../fixtures/stripe-events/checkout.session.completed.json' with {
  type: 'json',
};
import checkoutSessionExpired from '../../fixtures/stripe-events/checkout.session.expired.json' with { type: 'json' };
import customerCreated from '../../fixtures/stripe-events/customer.created.json' with { type: 'json' };
import customerDeleted from '../../fixtures/stripe-events/customer.deleted.json' with { type: 'json' };
import customerSubscriptionCreated from '../../fixtures/stripe-events/customer.subscription.created.json' with {
  type: 'json',
};
import customerSubscriptionDeleted from '../../fixtures/stripe-events/customer.subscription.deleted.json' with {
  type: 'json',
};
import customerSubscriptionPaused from '../../fixtures/stripe-events/customer.subscription.paused.json' with {
  type: 'json',
};
import customerSubscriptionResumed from '../../fixtures/stripe-events/customer.subscription.resumed.json' with {
  type: 'json',
};
import customerSubscriptionUpdated from '../../fixtures/stripe-events/customer.subscription.updated.json' with {
  type: 'json',
};
import customerUpdated from '../../fixtures/stripe-events/customer.updated.json' with { type: 'json' };
import invoiceCreated from '../../fixtures/stripe-events/invoice.created.json' with { type: 'json' };
import invoiceFinalized from '../../fixtures/stripe-events/invoice.finalized.json' with { type: 'json' };
import invoicePaid from '../../fixtures/stripe-events/invoice.paid.json' with { type: 'json' };
import invoicePaymentFailed from '../../fixtures/stripe-events/invoice.payment_failed.json' with { type: 'json' };
import invoiceUpdated from '../../fixtures/stripe-events/invoice.updated.json' with { type: 'json' };
import paymentIntentCanceled from '../../fixtures/stripe-events/payment_intent.canceled.json' with { type: 'json' };
import paymentIntentCreated from '../../fixtures/stripe-events/payment_intent.created.json' with { type: 'json' };
import paymentIntentPaymentFailed from '../../fixtures/stripe-events/payment_intent.payment_failed.json' with {
  type: 'json',
};
import paymentIntentSucceeded from '../../fixtures/stripe-events/payment_intent.succeeded.json' with { type: 'json' };
import priceCreated from '../../fixtures/stripe-events/price.created.json' with { type: 'json' };
import priceDeleted from '../../fixtures/stripe-events/price.deleted.json' with { type: 'json' };
import priceUpdated from '../../fixtures/stripe-events/price.updated.json' with { type: 'json' };
import productCreated from '../../fixtures/stripe-events/product.created.json' with { type: 'json' };
import productDeleted from '../../fixtures/stripe-events/product.deleted.json' with { type: 'json' };
import productUpdated from '../../fixtures/stripe-events/product.updated.json' with { type: 'json' };

const ALL = [
  chargeFailed,
  chargeRefunded,
  chargeSucceeded,
  chargeUpdated,
  checkoutSessionCompleted,
  checkoutSessionExpired,
  customerCreated,
  customerDeleted,
  customerSubscriptionCreated,
  customerSubscriptionDeleted,
  customerSubscriptionPaused,
  customerSubscriptionResumed,
  customerSubscriptionUpdated,
  customerUpdated,
  invoiceCreated,
  invoiceFinalized,
  invoicePaid,
  invoicePaymentFailed,
  invoiceUpdated,
  paymentIntentCanceled,
  paymentIntentCreated,
  paymentIntentPaymentFailed,
  paymentIntentSucceeded,
  priceCreated,
  priceDeleted,
  priceUpdated,
  productCreated,
  productDeleted,
  productUpdated,
];

import stripeSamples from '../../fixtures/stripe-openapi-fixtures3.json' with { type: 'json' };
import { SAMPLE_EVENT_TYPES, sampleResourceOf, sampleTypesForTrigger } from '../triggers/sample-types.js';

export type SampleEvent = Readonly<Record<string, unknown>> & { readonly type: string };

const RECORDED: Readonly<Record<string, SampleEvent>> = Object.fromEntries(
  (ALL as SampleEvent[]).map((event) => [event.type, event]),
);

const RESOURCES = stripeSamples.resources as Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The API version of the recorded events, so built and recorded samples read alike. */
const API_VERSION = (ALL[0] as { api_version: string }).api_version;

/** An event as Stripe would send it for this type, around its resource's sample object (shared, not copied). */
function built(type: string): SampleEvent | undefined {
  const resource = sampleResourceOf(type);
  const object = resource === undefined ? undefined : RESOURCES[resource];
  if (!object) return undefined;
  return {
    id: `evt_sample_${type.replace(/\./g, '_')}`,
    object: 'event',
    api_version: API_VERSION,
    created: typeof object.created === 'number' ? object.created : 1767225600,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

const builtByType = new Map<string, SampleEvent>();
let all: Readonly<Record<string, SampleEvent>> | undefined;

/** Every sample Stripe event, by event type. */
export function sampleEvents(): Readonly<Record<string, SampleEvent>> {
  all ??= Object.fromEntries(SAMPLE_EVENT_TYPES.map((type) => [type, sampleEvent(type)!]));
  return all;
}

/** The sample event of one type (e.g. `invoice.paid`, `payout.paid`), for editor previews. */
export function sampleEvent(type: string): SampleEvent | undefined {
  if (Object.hasOwn(RECORDED, type)) return RECORDED[type];
  if (!SAMPLE_EVENT_TYPES.includes(type)) return undefined;
  let event = builtByType.get(type);
  if (!event) {
    event = built(type);
    if (event) builtByType.set(type, event);
  }
  return event;
}

/**
 * Sample events of one trigger, by node type (e.g. `stripe.invoice`); the generic `stripe.event` takes its config
 * too, and then offers the types its patterns cover (every sample while it has none).
 */
export function samplesForTrigger(nodeType: string, config?: unknown): SampleEvent[] {
  return sampleTypesForTrigger(nodeType, config).map((type) => sampleEvent(type)!);
}
