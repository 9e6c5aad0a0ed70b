/**
 * `@switchyard/engine/samples`: one real Stripe event per bundled type (fixtures/stripe-events), for the editor's
 * sample picker, expression previews and test runs. A subpath of its own, not the main entry, so that a process
 * running workflows never loads some hundred kilobytes of sample payloads.
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

import { familyByNodeType, familyOf } from '../triggers/families.js';

export type SampleEvent = Readonly<Record<string, unknown>> & { readonly type: string };

const SAMPLES: Readonly<Record<string, SampleEvent>> = Object.fromEntries(
  (ALL as SampleEvent[]).map((event) => [event.type, event]),
);

/** Every bundled sample Stripe event, by event type. */
export function sampleEvents(): Readonly<Record<string, SampleEvent>> {
  return SAMPLES;
}

/** The sample event of one type (e.g. `invoice.paid`), for editor previews. */
export function sampleEvent(type: string): SampleEvent | undefined {
  return Object.hasOwn(SAMPLES, type) ? SAMPLES[type] : undefined;
}

/** Sample events of one trigger family, by node type (e.g. `stripe.invoice`). */
export function samplesForTrigger(nodeType: string): SampleEvent[] {
  const family = familyByNodeType(nodeType);
  if (!family) return [];
  return Object.values(SAMPLES).filter((e) => familyOf(e.type)?.nodeType === family.nodeType);
}
