import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionOf, familyOf, TRIGGER_FAMILIES } from '../src/index.js';

import { EVENTS_DIR } from './helpers.js';

const files = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json'));

// Expected family per event type, written out by hand so the test does not reuse the code's logic.
const expected: Record<string, [string, string]> = {
  'charge.failed': ['stripe.charge', 'failed'],
  'charge.refunded': ['stripe.charge', 'refunded'],
  'charge.succeeded': ['stripe.charge', 'succeeded'],
  'charge.updated': ['stripe.charge', 'updated'],
  'checkout.session.completed': ['stripe.checkout_session', 'completed'],
  'checkout.session.expired': ['stripe.checkout_session', 'expired'],
  'customer.created': ['stripe.customer', 'created'],
  'customer.deleted': ['stripe.customer', 'deleted'],
  'customer.updated': ['stripe.customer', 'updated'],
  'customer.subscription.created': ['stripe.subscription', 'created'],
  'customer.subscription.deleted': ['stripe.subscription', 'deleted'],
  'customer.subscription.paused': ['stripe.subscription', 'paused'],
  'customer.subscription.resumed': ['stripe.subscription', 'resumed'],
  'customer.subscription.updated': ['stripe.subscription', 'updated'],
  'invoice.created': ['stripe.invoice', 'created'],
  'invoice.finalized': ['stripe.invoice', 'finalized'],
  'invoice.paid': ['stripe.invoice', 'paid'],
  'invoice.payment_failed': ['stripe.invoice', 'payment_failed'],
  'invoice.updated': ['stripe.invoice', 'updated'],
  'payment_intent.canceled': ['stripe.payment_intent', 'canceled'],
  'payment_intent.created': ['stripe.payment_intent', 'created'],
  'payment_intent.payment_failed': ['stripe.payment_intent', 'failed'],
  'payment_intent.succeeded': ['stripe.payment_intent', 'succeeded'],
  'price.created': ['stripe.price', 'created'],
  'price.deleted': ['stripe.price', 'deleted'],
  'price.updated': ['stripe.price', 'updated'],
  'product.created': ['stripe.product', 'created'],
  'product.deleted': ['stripe.product', 'deleted'],
  'product.updated': ['stripe.product', 'updated'],
};

describe('trigger families', () => {
  it('has the ten families of docs/triggers.md', () => {
    expect(TRIGGER_FAMILIES.map((f) => f.nodeType).sort()).toEqual(
      [
        'stripe.charge',
        'stripe.checkout_session',
        'stripe.customer',
        'stripe.dispute',
        'stripe.refund',
        'stripe.invoice',
        'stripe.payment_intent',
        'stripe.price',
        'stripe.product',
        'stripe.subscription',
      ].sort(),
    );
    expect(TRIGGER_FAMILIES.find((f) => f.nodeType === 'stripe.invoice')?.label).toBe('On invoice event');
  });

  it('reads all 29 event files', () => {
    expect(files).toHaveLength(29);
  });

  for (const file of files) {
    it(`classifies ${file}`, () => {
      const event = JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8')) as { type: string };
      const want = expected[event.type];
      expect(want, `no expectation for ${event.type}`).toBeDefined();
      expect(familyOf(event.type)?.nodeType).toBe(want![0]);
      expect(actionOf(event.type)).toBe(want![1]);
      expect(familyOf(event.type)!.actions).toContain(actionOf(event.type));
    });
  }

  it('keeps types of other objects out of look-alike families', () => {
    expect(familyOf('charge.dispute.created')?.nodeType).toBe('stripe.dispute');
    expect(familyOf('charge.refund.updated')?.nodeType).toBe('stripe.refund');
    for (const t of [
      'customer.source.created',
      'customer.discount.created',
      'customer.tax_id.created',
      'customer.bank_account.created',
      'invoiceitem.created',
      'invoice_payment.paid',
      'checkout.session',
      'payment_method.attached',
      'prices.created',
    ]) {
      expect(familyOf(t), t).toBeUndefined();
    }
  });

  it('puts subscription events in the subscription family, never customer', () => {
    expect(familyOf('customer.subscription.trial_will_end')?.nodeType).toBe('stripe.subscription');
    expect(familyOf('customer.subscription.pending_update_applied')?.nodeType).toBe('stripe.subscription');
  });

  it('derives actions, including for types of no family', () => {
    expect(actionOf('checkout.session.async_payment_succeeded')).toBe('async_payment_succeeded');
    expect(actionOf('charge.dispute.created')).toBe('created');
    expect(actionOf('charge.refund.updated')).toBe('updated');
    expect(actionOf('invoice.payment_failed')).toBe('payment_failed');
    expect(actionOf('payment_intent.amount_capturable_updated')).toBe('amount_capturable_updated');
    expect(actionOf('ping')).toBe('ping');
  });
});
