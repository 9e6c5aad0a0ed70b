import { STRIPE_SAMPLE_EVENTS } from '../samples/stripe-events.js';
import { familyByNodeType, familyOf } from './families.js';

/** Every bundled sample Stripe event, by event type. */
export function sampleEvents(): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  return STRIPE_SAMPLE_EVENTS;
}

/** The sample event of one type (e.g. `invoice.paid`), for editor previews. */
export function sampleEvent(type: string): Readonly<Record<string, unknown>> | undefined {
  return Object.hasOwn(STRIPE_SAMPLE_EVENTS, type) ? STRIPE_SAMPLE_EVENTS[type] : undefined;
}

/** Sample events of one trigger family, by node type (e.g. `stripe.invoice`). */
export function samplesForTrigger(nodeType: string): Readonly<Record<string, unknown>>[] {
  const fam = familyByNodeType(nodeType);
  if (!fam) return [];
  return Object.values(STRIPE_SAMPLE_EVENTS).filter((e) => familyOf(String(e.type))?.nodeType === fam.nodeType);
}
