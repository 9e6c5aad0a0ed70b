import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

/** The real Stripe events kept in the repository (packages/engine/fixtures/README.md says where they come from). */
export const STRIPE_EVENTS_DIR = fileURLToPath(
  new URL('../../../../packages/engine/fixtures/stripe-events', import.meta.url),
);

export interface StripeEventFixture {
  id: string;
  type: string;
  created: number;
  data: { object: { id?: string } & Record<string, unknown>; previous_attributes?: unknown };
  [key: string]: unknown;
}

export function loadStripeEvents(): StripeEventFixture[] {
  return readdirSync(STRIPE_EVENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${STRIPE_EVENTS_DIR}/${f}`, 'utf8')) as StripeEventFixture);
}

export function stripeEvent(type: string): StripeEventFixture {
  return JSON.parse(readFileSync(`${STRIPE_EVENTS_DIR}/${type}.json`, 'utf8')) as StripeEventFixture;
}

let counter = 0;
/** A copy with a fresh id, as distinct deliveries need. */
export function freshCopy(event: StripeEventFixture, overrides: Partial<StripeEventFixture> = {}): StripeEventFixture {
  counter += 1;
  return { ...event, id: `evt_test_${process.pid}_${Date.now()}_${counter}`, ...overrides };
}

const stripe = new Stripe('sk_test_signing_only');

/** Signs exactly as Stripe does, with stripe-node's own test helper. */
export function signatureHeader(payload: string, secret: string, timestamp?: number): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}
