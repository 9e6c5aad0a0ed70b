import { describe, expect, it } from 'vitest';
import {
  defaultRegistry,
  expandPatterns,
  runWorkflow,
  searchEventTypes,
  triggerEventTypes,
  triggerMatches,
  triggerMismatch,
  triggerOfSelection,
  triggerSelection,
  validateWorkflow,
} from '../src/index.js';
import { sampleEvent } from '../src/samples/index.js';
import { createMemoryPorts } from '../src/testing/index.js';

const anyEvent = (types: unknown[]) => ({
  name: 'Payouts',
  nodes: [{ id: 'trigger', type: 'stripe.event', config: { types }, position: { x: 0, y: 0 } }],
  edges: [],
});

describe('On any Stripe event: saving', () => {
  it('accepts exact types and wildcards of the catalogue', () => {
    const result = validateWorkflow(anyEvent(['payout.*', 'invoice_payment.paid', 'treasury.outbound_payment.*']), {
      registry: defaultRegistry,
    });
    expect(result.ok).toBe(true);
  });

  it('refuses unknown types, empty wildcards and malformed patterns, naming node and field', () => {
    const result = validateWorkflow(anyEvent(['payout.paid', 'payout.pad', 'payouts.*', 'Payout', '*', 'payout.*.x']), {
      registry: defaultRegistry,
    });
    expect(result.ok).toBe(false);
    const texts = result.ok ? [] : result.errors.map((e) => e.text);
    expect(texts).toEqual([
      'nodes[trigger].config.types[1]: "payout.pad" is not a Stripe event type (did you mean "payout.paid"?)',
      'nodes[trigger].config.types[2]: "payouts.*" matches no Stripe event type (did you mean "payout.*"?)',
      'nodes[trigger].config.types[3]: "Payout" is not a Stripe event type: types look like "payout.paid"; use "payout.*" for all of one kind',
      'nodes[trigger].config.types[4]: choose event types or a wildcard such as "payout.*", not every event',
      'nodes[trigger].config.types[5]: "payout.*.x" is not a Stripe event type: types look like "payout.paid"; use "payout.*" for all of one kind',
    ]);
  });

  it('refuses a trigger with no type at all', () => {
    const result = validateWorkflow(anyEvent([]), { registry: defaultRegistry });
    expect(result.ok ? [] : result.errors.map((e) => e.text)).toEqual([
      'nodes[trigger].config.types: choose at least one event type, e.g. "payout.paid", or a wildcard such as "payout.*"',
    ]);
  });
});

describe('On any Stripe event: matching', () => {
  const trigger = { type: 'stripe.event', config: { types: ['payout.*', 'invoice_payment.paid'] } };

  it('fires on exact types and on everything under a wildcard, also types stripe-node does not list yet', () => {
    expect(triggerMatches(trigger, 'payout.paid')).toBe(true);
    expect(triggerMatches(trigger, 'payout.some_future_action')).toBe(true);
    expect(triggerMatches(trigger, 'invoice_payment.paid')).toBe(true);
    expect(triggerMatches(trigger, 'invoice.paid')).toBe(false);
    expect(triggerMatches(trigger, 'payouts.paid')).toBe(false);
    expect(triggerMatches(trigger, 'payout')).toBe(false);
  });

  it('enables on the endpoint the catalogue types its patterns cover', () => {
    expect(triggerEventTypes(trigger)).toEqual([
      'invoice_payment.paid',
      'payout.canceled',
      'payout.created',
      'payout.failed',
      'payout.paid',
      'payout.reconciliation_completed',
      'payout.updated',
    ]);
    // A wildcard is a plain prefix: `charge.*` in the generic trigger includes disputes and refunds.
    expect(expandPatterns(['charge.*'])).toContain('charge.dispute.created');
  });

  it('keeps its patterns as the deployment selection, and back', () => {
    expect(triggerSelection(trigger)).toEqual(['payout.*', 'invoice_payment.paid']);
    expect(triggerOfSelection('stripe.event', ['payout.*'])).toEqual({
      type: 'stripe.event',
      config: { types: ['payout.*'] },
    });
    expect(triggerSelection({ type: 'stripe.invoice', config: { actions: ['paid'] } })).toEqual(['paid']);
    expect(triggerOfSelection('stripe.invoice', ['paid'])).toEqual({
      type: 'stripe.invoice',
      config: { actions: ['paid'] },
    });
  });

  it('says why it did not fire', () => {
    const exact = { type: 'stripe.event', config: { types: ['payout.paid'] } };
    expect(triggerMismatch(exact, 'payout.paid')).toBeUndefined();
    expect(triggerMismatch(exact, 'payout.failed')).toBe('action not selected');
    expect(triggerMismatch(exact, 'invoice.paid')).toBe('other trigger');
    expect(triggerMismatch(trigger, 'refund.created')).toBe('other trigger');
    const invoices = { type: 'stripe.invoice', config: { actions: ['paid'] } };
    expect(triggerMismatch(invoices, 'invoice.voided')).toBe('action not selected');
    expect(triggerMismatch(invoices, 'invoice_payment.paid')).toBe('other trigger');
    expect(triggerMismatch({ type: 'stripe.dispute', config: { actions: [] } }, 'charge.dispute.created')).toBe(
      undefined,
    );
    expect(triggerMismatch({ type: 'stripe.charge', config: { actions: [] } }, 'charge.dispute.created')).toBe(
      'other trigger',
    );
  });

  it('runs a workflow on a payout sample with the last segment as action', async () => {
    const doc = {
      name: 'Payouts',
      nodes: [
        { id: 'trigger', type: 'stripe.event', config: { types: ['payout.*'] } },
        { id: 'note', type: 'log', config: { message: '{{ context.event.action }} {{ context.event.object.id }}' } },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'note' }],
    };
    const result = await runWorkflow({
      workflow: doc,
      registry: defaultRegistry,
      event: sampleEvent('payout.paid')!,
      ports: createMemoryPorts(),
      env: 'editor',
    });
    expect(result.status).toBe('succeeded');
    expect(result.steps.find((s) => s.nodeId === 'trigger')?.output).toMatchObject({ action: 'paid' });
    const skipped = await runWorkflow({
      workflow: doc,
      registry: defaultRegistry,
      event: sampleEvent('refund.created')!,
      ports: createMemoryPorts(),
      env: 'editor',
    });
    expect(skipped.status).toBe('skipped');
  });
});

describe('the type picker search', () => {
  it('offers the wildcard first, then each type', () => {
    expect(searchEventTypes('payout').map((s) => s.pattern)).toEqual([
      'payout.*',
      'payout.canceled',
      'payout.created',
      'payout.failed',
      'payout.paid',
      'payout.reconciliation_completed',
      'payout.updated',
    ]);
    expect(searchEventTypes('payout')[0]).toEqual({ pattern: 'payout.*', covers: 6 });
    expect(searchEventTypes('dispute created').map((s) => s.pattern)).toEqual([
      'charge.dispute.created',
      'issuing_dispute.created',
    ]);
    expect(searchEventTypes('no such thing')).toEqual([]);
  });
});
