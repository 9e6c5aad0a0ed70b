import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const OLD = 'whsec_rotation_old_secret';
const NEW = 'whsec_rotation_new_secret';
const NEWER = 'whsec_rotation_newer_secret';
const KEY = 'sk_test_51RotationKeyabcdefghij4242';

describeEachDriver('stripe account: secret rotation', (ctx) => {
  let clock = 1_767_225_600; // unix seconds, moved by the test
  let t: ReturnType<typeof testApp>;
  const put = (body: Record<string, unknown>) =>
    t.admin('PUT', '/environments/production/stripe', {
      secretKey: KEY,
      webhookEnabled: true,
      webhookPath: '/rot/production',
      ...body,
    });
  /** A delivery signed now (by the injected clock) with `secret`. */
  const status = async (secret: string) =>
    (await t.deliver('/rot/production', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), secret, clock)).status;

  beforeAll(() => {
    t = testApp(ctx.database, { now: () => clock });
  });

  it('verifies old and new secrets until the old one expires (24 h by default)', async () => {
    expect((await put({ webhookSecret: OLD })).status).toBe(200);
    expect(await status(OLD)).toBe(200);
    const rotated = (await (await put({ webhookSecret: NEW })).json()) as {
      previousWebhookSecretExpiresAt: string;
      webhookSecret: string;
    };
    expect(rotated.previousWebhookSecretExpiresAt).toBe(new Date((clock + 86_400) * 1000).toISOString());
    expect(rotated.webhookSecret).not.toContain('rotation'); // masked
    expect(await status(OLD)).toBe(200);
    expect(await status(NEW)).toBe(200);

    clock += 86_400 - 60;
    expect(await status(OLD)).toBe(200);
    clock += 120; // past the expiry: the old secret no longer verifies, the new one does
    expect(await status(OLD)).toBe(400);
    expect(await status(NEW)).toBe(200);
    expect(await (await t.admin('GET', '/environments/production/stripe')).json()).toMatchObject({
      previousWebhookSecretExpiresAt: null,
    });

    // Saving the same secret again (or another field) is no rotation.
    expect((await put({ webhookSecret: NEW })).status).toBe(200);
    expect((await put({})).status).toBe(200);
    expect(await status(NEW)).toBe(200);
  });

  it('takes the expiry the caller gives, and removing the secret removes both', async () => {
    const until = new Date((clock + 600) * 1000).toISOString();
    const res = await put({ webhookSecret: NEWER, previousSecretExpiresAt: until });
    expect(await res.json()).toMatchObject({ previousWebhookSecretExpiresAt: until });
    expect(await status(NEW)).toBe(200);
    expect(await status(NEWER)).toBe(200);
    clock += 601;
    expect(await status(NEW)).toBe(400);
    expect(await status(NEWER)).toBe(200);

    expect((await put({ previousSecretExpiresAt: 'tomorrow' })).status).toBe(400);
    expect((await put({ webhookSecret: null })).status).toBe(200);
    expect(await status(NEWER)).toBe(400);
  });
});

describeEachDriver('stripe account: refetch', (ctx) => {
  let stripe: FakeStripe;
  let t: ReturnType<typeof testApp>;
  const SECRET = 'whsec_refetch_secret';

  const workflow = (table: string, refetch: boolean) => ({
    name: `refetch ${refetch}`,
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'], refetch }, position: { x: 0, y: 0 } },
      {
        id: 'save',
        type: 'table.upsert',
        config: {
          table,
          key: '{{ context.event.object.id }}',
          values: { status: '{{ context.event.object.status }}', amount: '{{ context.event.object.amount_paid }}' },
        },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
    await t.start();
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          secretKey: KEY,
          webhookEnabled: true,
          webhookPath: '/refetch/editor',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await stripe?.close();
  });

  it('gives the run the object as the API has it when the trigger asks, the event snapshot otherwise', async () => {
    const latest = (await (await t.admin('POST', '/workflows', workflow('refetched', true))).json()) as { id: string };
    const snapshot = (await (await t.admin('POST', '/workflows', workflow('snapshot', false))).json()) as {
      id: string;
    };
    const event = freshCopy(stripeEvent('invoice.paid'));
    const invoiceId = `in_refetch_${event.id}`;
    event.data = { object: { ...event.data.object, id: invoiceId, object: 'invoice', status: 'open', amount_paid: 0 } };
    stripe.seedObject('invoices', { id: invoiceId, object: 'invoice', status: 'paid', amount_paid: 4200 });

    expect((await t.deliver('/refetch/editor', JSON.stringify(event), SECRET)).status).toBe(200);
    await t.waitForExecutions(`workflowId=${latest.id}&eventId=${event.id}`, (xs) => xs[0]?.status === 'succeeded');
    await t.waitForExecutions(`workflowId=${snapshot.id}&eventId=${event.id}`, (xs) => xs[0]?.status === 'succeeded');

    const row = async (table: string) =>
      (
        (await (await t.admin('GET', `/environments/editor/tables/${table}/rows?limit=10`)).json()) as {
          key: string;
          values: unknown;
        }[]
      ).find((r) => r.key === invoiceId)?.values;
    expect(await row('refetched')).toEqual({ status: 'paid', amount: 4200 });
    expect(await row('snapshot')).toEqual({ status: 'open', amount: 0 });
    const reads = stripe.requests.filter((r) => r.method === 'GET' && r.path === `/v1/invoices/${invoiceId}`);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.apiKey).toBe(KEY);
  });

  it('keeps the event copy when the object is gone, and fails the run at the trigger on other errors', async () => {
    const wf = (await (await t.admin('POST', '/workflows', workflow('refetch_errors', true))).json()) as { id: string };
    const gone = freshCopy(stripeEvent('invoice.paid'));
    gone.data = {
      object: { ...gone.data.object, id: `in_gone_${gone.id}`, object: 'invoice', status: 'void', amount_paid: 1 },
    };
    stripe.seedObject('invoices', { id: 'in_other', object: 'invoice' }); // the resource exists, this id does not → 404
    expect((await t.deliver('/refetch/editor', JSON.stringify(gone), SECRET)).status).toBe(200);
    await t.waitForExecutions(`workflowId=${wf.id}&eventId=${gone.id}`, (xs) => xs[0]?.status === 'succeeded');

    const denied = freshCopy(stripeEvent('invoice.paid'));
    denied.data = { object: { ...denied.data.object, id: `in_denied_${denied.id}`, object: 'invoice' } };
    stripe.failNext({
      status: 403,
      body: {
        error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions' },
      },
      match: (r) => r.path === `/v1/invoices/in_denied_${denied.id}`,
      times: 2,
    }); // both refetching workflows of the editor read it
    expect((await t.deliver('/refetch/editor', JSON.stringify(denied), SECRET)).status).toBe(200);
    const [run] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${denied.id}`,
      (xs) => xs[0]?.status === 'failed',
    );
    expect(run!.error).toMatch(/refetching invoice .* 403/);
  });
});
