import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionJson, PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_deployments_test_secret';

interface EventDetailJson {
  id: string;
  test: boolean;
  workflows: { workflowId: string; name: string; ran: boolean; reason: string }[];
}

function customerWorkflow(name = 'New customers') {
  return {
    name,
    nodes: [
      { id: 'trigger', type: 'stripe.customer', config: { actions: ['created'] }, position: { x: 0, y: 0 } },
      {
        id: 'save',
        type: 'table.upsert',
        config: { table: 'customers', key: '{{ context.event.object.id }}', values: { seen: true } },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  };
}

/** The invoice workflow listening to other invoice actions than `paid`. */
function finalizedInvoices() {
  const doc = invoiceWorkflow('Finalized invoices');
  (doc.nodes[0]!.config as { actions: string[] }).actions = ['finalized'];
  return doc;
}

describeEachDriver('pause and resume', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    for (const env of ['editor', 'staging'] as const) {
      const res = await t.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/dp/${env}`,
        webhookSecret: SECRET,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  const create = async (doc: unknown, path = '/workflows') => {
    const res = await t.admin('POST', path, doc);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; version: number };
  };
  const setEnabled = (id: string, env: string, enabled: unknown) =>
    t.admin('PATCH', `/workflows/${id}/deployments/${env}`, { enabled });
  const deliverInvoicePaid = async (env = 'editor') => {
    const event = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver(`/dp/${env}`, JSON.stringify(event), SECRET)).status).toBe(200);
    return event.id;
  };
  const executionsOf = async (workflowId: string, eventId: string) =>
    (await (await t.admin('GET', `/executions?workflowId=${workflowId}&eventId=${eventId}`)).json()) as ExecutionJson[];
  const detail = async (env: string, eventId: string) => {
    const res = await t.admin('GET', `/environments/${env}/events/${eventId}`);
    expect(res.status).toBe(200);
    return (await res.json()) as EventDetailJson;
  };
  const reasonOf = (d: EventDetailJson, workflowId: string) => d.workflows.find((w) => w.workflowId === workflowId);

  it('a paused workflow stores its events, runs none of them and says why; resumed, the next event runs', async () => {
    const wf = await create(invoiceWorkflow('Pausable'));
    const paused = await setEnabled(wf.id, 'editor', false);
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ workflowId: wf.id, environment: 'editor', version: 1, enabled: false });

    const whilePaused = await deliverInvoicePaid();
    // Runs are created in the ingest statement itself, so none exists once the delivery is answered.
    expect(await executionsOf(wf.id, whilePaused)).toEqual([]);
    const stored = await detail('editor', whilePaused);
    expect(reasonOf(stored, wf.id)).toEqual({ workflowId: wf.id, name: 'Pausable', ran: false, reason: 'paused' });

    // A save keeps the pause: the editor environment runs the new version only once resumed.
    expect((await t.admin('PUT', `/workflows/${wf.id}`, invoiceWorkflow('Pausable'))).status).toBe(200);
    const deployments = (await (await t.admin('GET', '/deployments')).json()) as {
      workflowId: string;
      environment: string;
      enabled: boolean;
      version: number;
    }[];
    expect(deployments.find((d) => d.workflowId === wf.id && d.environment === 'editor')).toMatchObject({
      enabled: false,
      version: 2,
    });

    expect((await setEnabled(wf.id, 'editor', true)).status).toBe(200);
    const afterResume = await deliverInvoicePaid();
    const [run] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${afterResume}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(run).toMatchObject({ origin: 'event', workflowVersion: 2 });
    expect(reasonOf(await detail('editor', afterResume), wf.id)).toMatchObject({ ran: true, reason: 'ran' });
    // The event received while paused stays without a run; now it matches and runs, so it was not running then.
    expect(reasonOf(await detail('editor', whilePaused), wf.id)).toMatchObject({
      ran: false,
      reason: 'not running then',
    });
  });

  it('gives each workflow its reason: ran, other trigger, action not selected, paused, not published here', async () => {
    const runs = await create(invoiceWorkflow('Runs'));
    const customers = await create(customerWorkflow());
    const finalized = await create(finalizedInvoices());
    const paused = await create(invoiceWorkflow('Paused here'));
    expect((await setEnabled(paused.id, 'editor', false)).status).toBe(200);

    const eventId = await deliverInvoicePaid();
    const editor = await detail('editor', eventId);
    expect(reasonOf(editor, runs.id)).toMatchObject({ ran: true, reason: 'ran' });
    expect(reasonOf(editor, customers.id)).toMatchObject({ ran: false, reason: 'other trigger' });
    expect(reasonOf(editor, finalized.id)).toMatchObject({ ran: false, reason: 'action not selected' });
    expect(reasonOf(editor, paused.id)).toMatchObject({ ran: false, reason: 'paused' });
    // Replaying through the workflows skips the paused one, as a delivery does.
    const replay = await t.admin('POST', `/environments/editor/events/${eventId}/replay`, {});
    expect(replay.status).toBe(201);
    const replayed = ((await replay.json()) as { workflowId: string }[]).map((x) => x.workflowId);
    expect(replayed).toContain(runs.id);
    expect(replayed).not.toContain(paused.id);

    // Staging runs only what was published to it; pausing in the editor does not pause it there.
    expect((await t.admin('POST', `/workflows/${paused.id}/publish`, { environment: 'staging' })).status).toBe(200);
    const stagingEvent = await deliverInvoicePaid('staging');
    const staging = await detail('staging', stagingEvent);
    expect(reasonOf(staging, runs.id)).toMatchObject({ ran: false, reason: 'not published here' });
    expect(reasonOf(staging, paused.id)).toMatchObject({ ran: true, reason: 'ran' });
    expect(await executionsOf(runs.id, stagingEvent)).toEqual([]);
  });

  it('refuses to pause where the workflow is not published, or with a bad body, and changes nothing', async () => {
    const wf = await create(invoiceWorkflow('Editor only'));
    const missing = await setEnabled(wf.id, 'production', false);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    expect((await setEnabled('wf_nope', 'editor', false)).status).toBe(404);
    const bad = await setEnabled(wf.id, 'editor', 'no');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
    const deployments = (await (await t.admin('GET', '/deployments')).json()) as {
      workflowId: string;
      enabled: boolean;
    }[];
    expect(deployments.filter((d) => d.workflowId === wf.id)).toEqual([expect.objectContaining({ enabled: true })]);
  });

  it('an imported (or duplicated) workflow starts unpublished and paused in the editor: an event runs only the original', async () => {
    const original = await create(invoiceWorkflow('Original'));
    const exported = await (await t.admin('GET', `/workflows/${original.id}/export`)).json();
    const copy = await create(exported, '/workflows/import');
    const summary = (await (await t.admin('GET', `/workflows/${copy.id}`)).json()) as { published: unknown };
    expect(summary.published).toEqual({ staging: null, production: null });

    const eventId = await deliverInvoicePaid();
    expect(await executionsOf(copy.id, eventId)).toEqual([]);
    await t.waitForExecutions(`workflowId=${original.id}&eventId=${eventId}`, (xs) => xs[0]?.status === 'succeeded');
    expect(reasonOf(await detail('editor', eventId), copy.id)).toMatchObject({ ran: false, reason: 'paused' });

    expect((await setEnabled(copy.id, 'editor', true)).status).toBe(200);
    const next = await deliverInvoicePaid();
    await t.waitForExecutions(`workflowId=${copy.id}&eventId=${next}`, (xs) => xs[0]?.status === 'succeeded');
  });
});

describeEachDriver('test runs are marked', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    const res = await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/tr/editor',
      webhookSecret: SECRET,
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stores a test run sample marked test:true, outside the delivery counts and the last event received', async () => {
    const wf = (await (await t.admin('POST', '/workflows', invoiceWorkflow('Tested'))).json()) as { id: string };
    const delivered = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver('/tr/editor', JSON.stringify(delivered), SECRET)).status).toBe(200);
    await t.waitForExecutions(`workflowId=${wf.id}&eventId=${delivered.id}`, (xs) => xs[0]?.status === 'succeeded');
    const connection = async () =>
      (await (await t.admin('GET', '/environments/editor/stripe')).json()) as {
        lastEventReceivedAt: string | null;
        eventCounts: Record<string, number>;
      };
    const before = await connection();
    expect(before.eventCounts).toEqual({ processed: 1 });

    const res = await t.admin('POST', `/workflows/${wf.id}/test-run`, { event: stripeEvent('invoice.paid') });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const run = (await (await t.admin('GET', `/executions/${executionId}`)).json()) as ExecutionJson;
    expect(run.origin).toBe('test');

    const list = (await (await t.admin('GET', '/environments/editor/events')).json()) as {
      id: string;
      test: boolean;
    }[];
    expect(list.find((e) => e.id === run.eventId)).toMatchObject({ test: true });
    expect(list.find((e) => e.id === delivered.id)).toMatchObject({ test: false });
    const sample = (await (
      await t.admin('GET', `/environments/editor/events/${run.eventId}`)
    ).json()) as EventDetailJson;
    expect(sample.test).toBe(true);
    expect(sample.workflows.find((w) => w.workflowId === wf.id)).toMatchObject({ ran: true, reason: 'ran' });

    await t.waitForExecutions(`workflowId=${wf.id}&eventId=${run.eventId}`, (xs) => xs[0]?.status === 'succeeded');
    expect(await connection()).toMatchObject({
      lastEventReceivedAt: before.lastEventReceivedAt,
      eventCounts: before.eventCounts,
    });
  });
});

describeEachDriver('register follows what is enabled', (ctx) => {
  let stripe: FakeStripe;
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
  });
  afterAll(async () => {
    await stripe?.close();
  });

  it("leaves a paused workflow's event types out of enabled_events, and puts them back on resume", async () => {
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          secretKey: 'sk_test_51PauseTestKeyabcdefghij4242',
          webhookEnabled: false,
          webhookPath: '/rg/editor',
        })
      ).status,
    ).toBe(200);
    (await (await t.admin('POST', '/workflows', invoiceWorkflow())).json()) as { id: string };
    const customers = (await (await t.admin('POST', '/workflows', customerWorkflow())).json()) as { id: string };
    const registered = await t.admin('POST', '/environments/editor/stripe/register');
    expect(registered.status).toBe(200);
    expect(((await registered.json()) as { enabledEvents: string[] }).enabledEvents).toEqual([
      'customer.created',
      'invoice.paid',
      'invoice.payment_failed',
    ]);
    const endpoint = () =>
      [...stripe.state.webhookEndpoints.values()].find((e) => e.url === `${PUBLIC_URL}/api/rg/editor`)!;

    // Pausing updates the registered endpoint in place.
    expect((await t.admin('PATCH', `/workflows/${customers.id}/deployments/editor`, { enabled: false })).status).toBe(
      200,
    );
    expect(endpoint().enabled_events).toEqual(['invoice.paid', 'invoice.payment_failed']);
    const again = (await (await t.admin('POST', '/environments/editor/stripe/register')).json()) as {
      enabledEvents: string[];
    };
    expect(again.enabledEvents).toEqual(['invoice.paid', 'invoice.payment_failed']);

    expect((await t.admin('PATCH', `/workflows/${customers.id}/deployments/editor`, { enabled: true })).status).toBe(
      200,
    );
    expect(endpoint().enabled_events).toEqual(['customer.created', 'invoice.paid', 'invoice.payment_failed']);
  });
});

describe('neededEventTypes', () => {
  it('ignores paused triggers', async () => {
    const { neededEventTypes } = await import('../src/stripe-account/event-types.js');
    expect(
      neededEventTypes([
        { triggerType: 'stripe.invoice', triggerActions: ['paid'], enabled: true },
        { triggerType: 'stripe.customer', triggerActions: ['created'], enabled: false },
      ]),
    ).toEqual(['invoice.paid']);
  });
});
