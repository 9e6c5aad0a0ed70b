import { familyByNodeType, familyOf } from './families.js';

/**
 * The event types that have a bundled sample in `@switchyard/engine/samples`, by name only: the node catalogue
 * tells the editor which samples a trigger offers without the main entry loading the payloads. A test keeps this
 * list, the fixtures directory and the samples entry in step.
 */
export const SAMPLE_EVENT_TYPES: readonly string[] = [
  'charge.failed',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.created',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.updated',
  'customer.updated',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.payment_failed',
  'payment_intent.succeeded',
  'price.created',
  'price.deleted',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
];

/** The sample types of one trigger family, by node type (e.g. `stripe.invoice`). */
export function sampleTypesForTrigger(nodeType: string): string[] {
  const family = familyByNodeType(nodeType);
  if (!family) return [];
  return SAMPLE_EVENT_TYPES.filter((type) => familyOf(type)?.nodeType === family.nodeType);
}
