import { sampleEvent } from '@switchyard/engine/samples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neededEventTypes } from '../src/stripe-account/event-types.js';
import { type ExecutionJson, PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { type Listening, listen } from './support/http-listener.js';
import { freshCopy, type StripeEventFixture } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_stripe_event_types_secret';

/** A trigger, then one row per event in `table`, keyed by the Stripe object id, holding the event's action. */
function recordingWorkflow(name: string, trigger: { type: string; config: Record<string, unknown> }, table: string) {
  return {
    name,
    nodes: [
      { id: 'trigger', ...trigger, position: { x: 0, y: 0 } },
      {
        id: 'save',
        type: 'table.upsert',
        config: {
          table,
          key: '{{ context.event.object.id }}',
          values: { type: '{{ context.event.type }}', action: '{{ context.event.action }}' },
        },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  };
}

/** The sample of a type with a fresh event id and object id, as a distinct delivery from Stripe. */
function delivery(type: string): StripeEventFixture {
  const sample = sampleEvent(type) as unknown as StripeEventFixture;
  expect(sample, `no sample for ${type}`).toBeDefined();
  const copy = freshCopy(sample);
  return { ...copy, data: { ...copy.data, object: { ...copy.data.object, id: `${copy.id}_object` } } };
}

interface EventDetailJson {
  id: string;
  type: string;
  action: string;
  workflows: { workflowId: string; name: string; ran: boolean; reason: string }[];
}

describeEachDriver('every Stripe event type, from signed webhooks over HTTP', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let http: Listening;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    http = await listen(t.app);
    for (const env of ['editor', 'staging'] as const) {
      const res = await http.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/types/${env}`,
        webhookSecret: SECRET,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await http?.close();
    await t?.stop();
  });

  const create = async (doc: unknown) => {
    const res = await http.admin('POST', '/workflows', doc);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string };
  };
  const deliver = async (type: string, env = 'editor') => {
    const event = delivery(type);
    const res = await http.deliver(`/types/${env}`, JSON.stringify(event), SECRET);
    expect(res.status).toBe(200);
    return event;
  };
  const runsOf = async (workflowId: string, eventId: string) =>
    (await (
      await http.admin('GET', `/executions?workflowId=${workflowId}&eventId=${eventId}`)
    ).json()) as ExecutionJson[];
  const finished = (workflowId: string, eventId: string) =>
    t.waitForExecutions(`workflowId=${workflowId}&eventId=${eventId}`, (xs) => xs[0]?.status === 'succeeded');
  const detail = async (eventId: string, env = 'editor') => {
    const res = await http.admin('GET', `/environments/${env}/events/${eventId}`);
    expect(res.status).toBe(200);
    return (await res.json()) as EventDetailJson;
  };
  const reasonOf = (d: EventDetailJson, workflowId: string) =>
    d.workflows.find((w) => w.workflowId === workflowId)?.reason;
  const row = async (table: string, key: string) => {
    const res = await http.admin('GET', `/environments/editor/tables/${table}/rows?limit=100`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { key: string; values: Record<string, unknown> }[]).find((r) => r.key === key);
  };

  it('a charge.dispute.created runs the dispute-trigger workflow with action created', async () => {
    const disputes = await create(
      recordingWorkflow('Disputes opened', { type: 'stripe.dispute', config: { actions: ['created'] } }, 'disputes'),
    );
    const event = await deliver('charge.dispute.created');
    const [run] = await finished(disputes.id, event.id);
    expect(run!.steps.find((s) => s.nodeId === 'trigger')?.output).toMatchObject({
      type: 'charge.dispute.created',
      action: 'created',
    });
    expect(await row('disputes', event.data.object.id!)).toMatchObject({
      values: { type: 'charge.dispute.created', action: 'created' },
    });
    expect(reasonOf(await detail(event.id), disputes.id)).toBe('ran');

    // Another action of the family: stored, not run, and the event page says why.
    const closed = await deliver('charge.dispute.closed');
    expect(await runsOf(disputes.id, closed.id)).toEqual([]);
    expect(reasonOf(await detail(closed.id), disputes.id)).toBe('action not selected');
  });

  it('a payout.paid runs the generic-trigger workflow with types ["payout.*"]', async () => {
    const payouts = await create(
      recordingWorkflow('Payouts', { type: 'stripe.event', config: { types: ['payout.*'] } }, 'payouts'),
    );
    const event = await deliver('payout.paid');
    const [run] = await finished(payouts.id, event.id);
    expect(run!.steps.find((s) => s.nodeId === 'trigger')?.output).toMatchObject({
      type: 'payout.paid',
      action: 'paid',
    });
    expect(await row('payouts', event.data.object.id!)).toMatchObject({
      values: { type: 'payout.paid', action: 'paid' },
    });
    const shown = await detail(event.id);
    expect(shown).toMatchObject({ type: 'payout.paid', action: 'paid' });
    expect(reasonOf(shown, payouts.id)).toBe('ran');

    // Replaying the event through every workflow finds the generic one too.
    const replay = await http.admin('POST', `/environments/editor/events/${event.id}/replay`, {});
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as { workflowId: string }[]).map((x) => x.workflowId)).toContain(payouts.id);

    // The wildcard covers every payout type, not others.
    const failed = await deliver('payout.failed');
    await finished(payouts.id, failed.id);
    const refund = await deliver('refund.created');
    expect(await runsOf(payouts.id, refund.id)).toEqual([]);
    expect(reasonOf(await detail(refund.id), payouts.id)).toBe('other trigger');
  });

  it('an invoice_payment.paid does not run an invoice-trigger workflow, and the event says other trigger', async () => {
    const invoices = await create(invoiceWorkflow('Invoices, not their payments'));
    const allInvoices = await create(
      recordingWorkflow('Every invoice event', { type: 'stripe.invoice', config: { actions: [] } }, 'invoices_all'),
    );
    const event = await deliver('invoice_payment.paid');
    expect(await runsOf(invoices.id, event.id)).toEqual([]);
    expect(await runsOf(allInvoices.id, event.id)).toEqual([]);
    const shown = await detail(event.id);
    expect(reasonOf(shown, invoices.id)).toBe('other trigger');
    expect(reasonOf(shown, allInvoices.id)).toBe('other trigger');
  });

  it('gives generic triggers their reasons: action not selected, paused, not published here', async () => {
    const paidOnly = await create(
      recordingWorkflow('Paid payouts', { type: 'stripe.event', config: { types: ['payout.paid'] } }, 'paid_payouts'),
    );
    const pausedOne = await create(
      recordingWorkflow('Paused payouts', { type: 'stripe.event', config: { types: ['payout.*'] } }, 'paused_payouts'),
    );
    expect(
      (await http.admin('PATCH', `/workflows/${pausedOne.id}/deployments/editor`, { enabled: false })).status,
    ).toBe(200);
    const event = await deliver('payout.canceled');
    const shown = await detail(event.id);
    expect(reasonOf(shown, paidOnly.id)).toBe('action not selected');
    expect(reasonOf(shown, pausedOne.id)).toBe('paused');
    expect(await runsOf(pausedOne.id, event.id)).toEqual([]);

    // Staging runs only what was published to it.
    expect((await http.admin('POST', `/workflows/${paidOnly.id}/publish`, { environment: 'staging' })).status).toBe(
      200,
    );
    const inStaging = await deliver('payout.paid', 'staging');
    const staging = await detail(inStaging.id, 'staging');
    expect(reasonOf(staging, paidOnly.id)).toBe('ran');
    expect(reasonOf(staging, pausedOne.id)).toBe('not published here');
  });

  it('refuses unknown types and empty wildcards at save, naming node and field, and saves nothing', async () => {
    const before = ((await (await http.admin('GET', '/workflows')).json()) as unknown[]).length;
    const res = await http.admin(
      'POST',
      '/workflows',
      recordingWorkflow('Typo', { type: 'stripe.event', config: { types: ['payout.pad', 'payouts.*'] } }, 'typo'),
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('nodes[trigger].config.types[0]');
    expect(text).toContain('\\"payout.pad\\" is not a Stripe event type (did you mean \\"payout.paid\\"?)');
    expect(text).toContain('nodes[trigger].config.types[1]');
    expect(text).toContain('\\"payouts.*\\" matches no Stripe event type');
    expect(((await (await http.admin('GET', '/workflows')).json()) as unknown[]).length).toBe(before);
  });
});

describeEachDriver('register and reconcile follow the patterns', (ctx) => {
  let stripe: FakeStripe;
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
    await t.start();
    const res = await t.admin('PUT', '/environments/editor/stripe', {
      secretKey: 'sk_test_51PatternsTestKeyabcdefgh4242',
      webhookEnabled: true,
      webhookPath: '/patterns/editor',
      webhookSecret: SECRET,
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await stripe?.close();
  });

  const PAYOUT_TYPES = [
    'payout.canceled',
    'payout.created',
    'payout.failed',
    'payout.paid',
    'payout.reconciliation_completed',
    'payout.updated',
  ];

  it('enables the catalogue types the wildcards cover, with the exact types and the families', async () => {
    for (const doc of [
      recordingWorkflow(
        'Payouts and invoice payments',
        { type: 'stripe.event', config: { types: ['payout.*', 'invoice_payment.paid'] } },
        'money',
      ),
      recordingWorkflow('Refunds', { type: 'stripe.refund', config: { actions: ['updated'] } }, 'refunds'),
    ])
      expect((await t.admin('POST', '/workflows', doc)).status).toBe(201);
    const registered = await t.admin('POST', '/environments/editor/stripe/register');
    expect(registered.status).toBe(200);
    const expected = ['charge.refund.updated', 'invoice_payment.paid', ...PAYOUT_TYPES, 'refund.updated'];
    expect(((await registered.json()) as { enabledEvents: string[] }).enabledEvents).toEqual(expected);
    const endpoint = [...stripe.state.webhookEndpoints.values()].find(
      (e) => e.url === `${PUBLIC_URL}/api/patterns/editor`,
    )!;
    expect(endpoint.enabled_events).toEqual(expected);
  });

  it('lists only those types when reconciling, and ingests the missed payout so it runs', async () => {
    const missed = delivery('payout.paid');
    stripe.seedEvent({ ...missed, created: Math.floor(Date.now() / 1000) - 60 });
    stripe.seedEvent({ ...delivery('customer.created'), created: Math.floor(Date.now() / 1000) - 60 });
    stripe.requests.length = 0;
    const res = await t.admin('POST', '/environments/editor/stripe/reconcile', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ingested: 1, alreadyHad: 0 });
    const listed = stripe.requests
      .filter((r) => r.path === '/v1/events')
      .flatMap((r) => {
        const types = r.query.types;
        return Array.isArray(types)
          ? types.map(String)
          : types && typeof types === 'object'
            ? Object.values(types).map(String)
            : [];
      });
    expect([...new Set(listed)].sort()).toEqual(
      ['charge.refund.updated', 'invoice_payment.paid', ...PAYOUT_TYPES, 'refund.updated'].sort(),
    );
    const [run] = await t.waitForExecutions(`eventId=${missed.id}`, (xs) => xs[0]?.status === 'succeeded');
    expect(run!.steps.find((s) => s.nodeId === 'trigger')?.output).toMatchObject({ action: 'paid' });
  });
});

describe('neededEventTypes with generic triggers', () => {
  it('expands wildcards against the catalogue and leaves paused ones out', () => {
    expect(
      neededEventTypes([
        { triggerType: 'stripe.event', triggerActions: ['payout.*'], enabled: true },
        { triggerType: 'stripe.event', triggerActions: ['refund.*'], enabled: false },
        { triggerType: 'stripe.dispute', triggerActions: ['created'], enabled: true },
      ]),
    ).toEqual([
      'charge.dispute.created',
      ...[
        'payout.canceled',
        'payout.created',
        'payout.failed',
        'payout.paid',
        'payout.reconciliation_completed',
        'payout.updated',
      ],
    ]);
  });
});
