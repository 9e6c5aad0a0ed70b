import { describe, expect, it } from 'vitest';
import { defaultRegistry, familyOf, runWorkflow, validateWorkflow } from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { loadEvent, loadEvents } from './helpers.js';

const registry = defaultRegistry;

// The invoice example of packages/engine/README.md.
const invoiceWorkflow = {
  name: 'Track invoices',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: { actions: [] }, position: { x: 0, y: 0 } },
    {
      id: 'route',
      type: 'switch',
      config: {
        value: '{{ context.event.action }}',
        cases: [
          { id: 'paid', equals: 'paid' },
          { id: 'failed', equals: 'payment_failed' },
        ],
      },
    },
    {
      id: 'save_paid',
      type: 'table.upsert',
      config: {
        table: 'invoices',
        key: '{{ context.event.object.id }}',
        values: {
          status: 'paid',
          amount: '{{ context.event.object.amount_paid }}',
          customer: '{{ context.event.object.customer }}',
        },
      },
    },
    {
      id: 'save_failed',
      type: 'table.upsert',
      config: {
        table: 'invoices',
        key: '{{ context.event.object.id }}',
        values: {
          status: 'failed',
          attempts: '{{ context.event.object.attempt_count }}',
          note: 'failed for {{ context.event.object.customer }}',
        },
      },
    },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save_paid' },
    { id: 'e3', source: 'route', sourceHandle: 'failed', target: 'save_failed' },
  ],
};

describe('golden: invoice workflow over every Stripe event file', () => {
  it('validates', () => {
    const v = validateWorkflow(invoiceWorkflow, { registry });
    expect(v.ok).toBe(true);
    expect(v.warnings).toEqual([]);
  });

  for (const event of loadEvents()) {
    it(`runs on ${event.type}`, async () => {
      const ports = createMemoryPorts();
      const result = await runWorkflow({ registry, workflow: invoiceWorkflow, event, env: 'production', ports });
      if (familyOf(event.type)?.nodeType !== 'stripe.invoice') {
        expect(result.status).toBe('skipped');
        expect(result.steps).toEqual([]);
        return;
      }
      expect(result.status).toBe('succeeded');
      const byNode = Object.fromEntries(result.steps.map((s) => [s.nodeId, s]));
      expect(byNode.trigger?.status).toBe('succeeded');
      expect(byNode.route?.status).toBe('succeeded');
      const obj = event.data.object;
      const rows = ports.rows('invoices');
      if (event.type === 'invoice.paid') {
        expect(byNode.route?.handles).toEqual(['paid']);
        expect(byNode.save_failed?.status).toBe('skipped');
        expect(rows).toEqual([
          {
            key: obj.id,
            values: { status: 'paid', amount: obj.amount_paid, customer: obj.customer },
            updatedAt: ports.now(),
          },
        ]);
      } else if (event.type === 'invoice.payment_failed') {
        expect(byNode.route?.handles).toEqual(['failed']);
        expect(byNode.save_paid?.status).toBe('skipped');
        expect(rows[0]?.values).toEqual({
          status: 'failed',
          attempts: obj.attempt_count,
          note: `failed for ${obj.customer}`,
        });
      } else {
        expect(byNode.route?.output).toMatchObject({ case: 'default' });
        expect(byNode.save_paid?.status).toBe('skipped');
        expect(byNode.save_failed?.status).toBe('skipped');
        expect(rows).toEqual([]);
      }
    });
  }

  it('is order-safe: an older event does not overwrite a newer one', async () => {
    const ports = createMemoryPorts();
    const paid = loadEvent('invoice.paid');
    const failed = loadEvent('invoice.payment_failed');
    const id = 'in_same';
    const newer = { ...paid, id: 'evt_new', created: 2_000, data: { object: { ...paid.data.object, id } } };
    const older = { ...failed, id: 'evt_old', created: 1_000, data: { object: { ...failed.data.object, id } } };
    expect((await runWorkflow({ registry, workflow: invoiceWorkflow, event: newer, ports })).status).toBe('succeeded');
    const late = await runWorkflow({ registry, workflow: invoiceWorkflow, event: older, ports });
    expect(late.status).toBe('succeeded');
    expect(late.steps.find((s) => s.nodeId === 'save_failed')?.output).toEqual({ skipped: true, reason: 'stale' });
    expect(ports.rows('invoices')[0]?.values.status).toBe('paid');
  });
});

describe('golden: the checkout example of docs/workflow-document.md', () => {
  const doc = {
    name: 'Grant access after checkout',
    nodes: [
      {
        id: 'trigger',
        type: 'stripe.checkout_session',
        config: { actions: ['completed', 'expired'] },
        position: { x: 0, y: 0 },
      },
      {
        id: 'route',
        type: 'switch',
        config: {
          value: '{{ context.event.action }}',
          cases: [
            { id: 'paid', equals: 'completed' },
            { id: 'gone', equals: 'expired' },
          ],
        },
      },
      {
        id: 'save',
        type: 'table.upsert',
        config: {
          table: 'orders',
          key: '{{ context.event.object.id }}',
          values: { status: 'paid', email: '{{ context.event.object.customer_details.email }}' },
        },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'route' },
      { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save' },
    ],
  };

  it('saves the order on checkout.session.completed', async () => {
    const ports = createMemoryPorts();
    const event = loadEvent('checkout.session.completed');
    const result = await runWorkflow({ registry, workflow: doc, event, ports });
    expect(result.status).toBe('succeeded');
    const obj = event.data.object as { id: string; customer_details: { email: string | null } };
    expect(ports.rows('orders')).toEqual([
      {
        key: obj.id,
        values: { status: 'paid', email: obj.customer_details.email ?? undefined },
        updatedAt: ports.now(),
      },
    ]);
  });

  it('routes expired to a case with no edge', async () => {
    const ports = createMemoryPorts();
    const result = await runWorkflow({ registry, workflow: doc, event: loadEvent('checkout.session.expired'), ports });
    expect(result.status).toBe('succeeded');
    expect(result.steps.find((s) => s.nodeId === 'save')?.status).toBe('skipped');
    expect(ports.rows('orders')).toEqual([]);
  });
});
