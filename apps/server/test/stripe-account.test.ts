import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connections } from '../src/db/schema.js';
import { allTriggerEventTypes } from '../src/stripe-account/event-types.js';
import { PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const TEST_KEY = 'sk_test_51AccountTestKeyabcdefghij4242';
const LIVE_KEY = 'sk_live_51AccountLiveKeyabcdefghij4242';

interface Registration {
  endpointId: string;
  status: string;
  enabledEvents: string[];
  url: string;
  created: boolean;
  mode: string;
  warnings: string[];
}

function customerWorkflow() {
  return {
    name: 'New customers',
    nodes: [
      { id: 'trigger', type: 'stripe.customer', config: { actions: ['created'] }, position: { x: 0, y: 0 } },
      {
        id: 'save',
        type: 'table.upsert',
        config: {
          table: 'customers',
          key: '{{ context.event.object.id }}',
          values: { email: '{{ context.event.object.email }}' },
        },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  };
}

describeEachDriver('stripe account: register', (ctx) => {
  let stripe: FakeStripe;
  let t: ReturnType<typeof testApp>;
  const endpointsFor = (path: string) =>
    [...stripe.state.webhookEndpoints.values()].filter((e) => e.url === `${PUBLIC_URL}/api${path}`);
  const register = async (env: string, body?: unknown) => {
    const res = await t.admin('POST', `/environments/${env}/stripe/register`, body);
    return { status: res.status, body: (await res.json()) as Registration & { error?: string; message?: string } };
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
  });
  afterAll(async () => {
    await stripe?.close();
  });

  it('explains what is missing before anything is set', async () => {
    const res = await register('editor');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'no_secret_key' });
    expect(res.body.message).toMatch(/PUT \/environments\/editor\/stripe/);
  });

  it('registers once: a second register updates the same endpoint in place and keeps the signing secret', async () => {
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          secretKey: TEST_KEY,
          webhookEnabled: false,
          webhookPath: '/sa/editor',
        })
      ).status,
    ).toBe(200);
    const first = await register('editor');
    expect(first.status).toBe(200);
    // Nothing deployed yet: Stripe needs at least one type, so the endpoint gets every type of the eight families.
    expect(first.body).toMatchObject({
      status: 'enabled',
      created: true,
      mode: 'test',
      url: `${PUBLIC_URL}/api/sa/editor`,
      enabledEvents: allTriggerEventTypes(),
    });
    const [endpoint] = endpointsFor('/sa/editor');
    expect(endpoint).toMatchObject({
      id: first.body.endpointId,
      api_version: Stripe.API_VERSION,
      metadata: { switchyard_environment: 'editor' },
    });
    expect(stripe.requests.some((r) => r.method === 'GET' && r.path === '/v1/account' && r.apiKey === TEST_KEY)).toBe(
      true,
    );
    // The create was form-encoded the way Stripe takes arrays.
    const create = stripe.requests.find((r) => r.method === 'POST' && r.path === '/v1/webhook_endpoints')!;
    expect(create.rawBody).toContain('enabled_events[0]=');

    // The secret Stripe returned on create is stored (masked in the API) and deliveries signed with it verify.
    const connection = (await (await t.admin('GET', '/environments/editor/stripe')).json()) as {
      webhookSecret: string;
      webhookEnabled: boolean;
      stripeEndpointId: string;
    };
    expect(connection).toMatchObject({ webhookEnabled: true, stripeEndpointId: first.body.endpointId });
    expect(connection.webhookSecret).toMatch(/^whsec_…/);
    const secret = String(endpoint!.secret);
    const event = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver('/sa/editor', JSON.stringify(event), secret)).status).toBe(200);

    const second = await register('editor');
    expect(second.body).toMatchObject({ endpointId: first.body.endpointId, created: false, status: 'enabled' });
    expect(endpointsFor('/sa/editor')).toHaveLength(1);
    expect(stripe.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    // An update returns no secret: the stored one still verifies.
    expect((await t.deliver('/sa/editor', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), secret)).status).toBe(
      200,
    );

    // Lost our endpoint id (e.g. a restored backup): found again by metadata + URL, still not recreated.
    await ctx.database.db
      .update(connections)
      .set({ stripeEndpointId: null })
      .where(eq(connections.environment, 'editor'));
    const third = await register('editor');
    expect(third.body).toMatchObject({ endpointId: first.body.endpointId, created: false });
    expect(endpointsFor('/sa/editor')).toHaveLength(1);
  });

  it('keeps enabled_events current on save and publish, updating the endpoint in place', async () => {
    expect(
      (
        await t.admin('PUT', '/environments/staging/stripe', {
          secretKey: TEST_KEY,
          webhookEnabled: false,
          webhookPath: '/sa/staging',
        })
      ).status,
    ).toBe(200);
    const registered = (await register('staging')).body;
    expect(registered.enabledEvents).toHaveLength(allTriggerEventTypes().length);

    const invoices = (await (await t.admin('POST', '/workflows', invoiceWorkflow())).json()) as { id: string };
    // Saving deploys to the editor only: the editor endpoint follows, staging does not yet.
    expect(endpointsFor('/sa/editor')[0]!.enabled_events).toEqual(['invoice.paid', 'invoice.payment_failed']);
    expect(endpointsFor('/sa/staging')[0]!.enabled_events).toHaveLength(allTriggerEventTypes().length);

    expect((await t.admin('POST', `/workflows/${invoices.id}/publish`, { environment: 'staging' })).status).toBe(200);
    expect(endpointsFor('/sa/staging')).toEqual([
      expect.objectContaining({
        id: registered.endpointId,
        enabled_events: ['invoice.paid', 'invoice.payment_failed'],
      }),
    ]);

    // Publishing a workflow with a new type adds it, on the same endpoint.
    const customers = (await (await t.admin('POST', '/workflows', customerWorkflow())).json()) as { id: string };
    expect((await t.admin('POST', `/workflows/${customers.id}/publish`, { environment: 'staging' })).status).toBe(200);
    expect(endpointsFor('/sa/staging')).toEqual([
      expect.objectContaining({
        id: registered.endpointId,
        enabled_events: ['customer.created', 'invoice.paid', 'invoice.payment_failed'],
      }),
    ]);
    const update = stripe.requests
      .filter((r) => r.method === 'POST' && r.path === `/v1/webhook_endpoints/${registered.endpointId}`)
      .at(-1)!;
    expect(update.body.enabled_events).toEqual(['customer.created', 'invoice.paid', 'invoice.payment_failed']);

    const status = (await (await t.admin('GET', '/environments/staging/stripe/register')).json()) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({
      registered: true,
      endpointId: registered.endpointId,
      status: 'enabled',
      enabledEvents: ['customer.created', 'invoice.paid', 'invoice.payment_failed'],
      neededEvents: ['customer.created', 'invoice.paid', 'invoice.payment_failed'],
    });
  });

  it('refuses a live key in staging and a test key in production unless confirmed', async () => {
    expect(
      (
        await t.admin('PUT', '/environments/production/stripe', {
          secretKey: TEST_KEY,
          webhookEnabled: false,
          webhookPath: '/sa/production',
        })
      ).status,
    ).toBe(200);
    const refused = await register('production');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'mode_mismatch' });
    expect(refused.body.message).toMatch(/production uses a test-mode key.*confirm/);
    expect(endpointsFor('/sa/production')).toHaveLength(0);
    const confirmed = await register('production', { confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.warnings.join(' ')).toMatch(/confirmed/);

    expect(
      (
        await t.admin('PUT', '/environments/staging/stripe', {
          secretKey: LIVE_KEY,
          webhookEnabled: true,
          webhookPath: '/sa/staging',
        })
      ).status,
    ).toBe(200);
    const live = await register('staging');
    expect(live.status).toBe(409);
    expect(live.body.message).toMatch(/staging uses a live-mode key/);
    const before = stripe.requests.length;
    expect((await register('staging', { confirm: false })).status).toBe(409);
    expect(stripe.requests.length).toBe(before); // refused before any call to Stripe
    const allowed = await register('staging', { confirm: true });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ mode: 'live', created: false });
  });

  it('answers 400 when Stripe rejects the key and 502 when Stripe fails', async () => {
    stripe.failNext({
      status: 401,
      body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****4242' } },
      match: (r) => r.path === '/v1/account',
    });
    const rejected = await register('editor');
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ error: 'stripe_key_rejected' });
    stripe.failNext({ status: 500, match: (r) => r.path.startsWith('/v1/webhook_endpoints') });
    const failed = await register('editor');
    expect(failed.status).toBe(502);
    expect(failed.body.message).toMatch(/500/);
  });

  it('deregisters: the endpoint is deleted at Stripe and the state cleared', async () => {
    const { endpointId } = (await register('editor')).body;
    const res = await t.admin('DELETE', '/environments/editor/stripe/register');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ endpointId, deleted: true });
    expect(endpointsFor('/sa/editor')).toHaveLength(0);
    expect(await (await t.admin('GET', '/environments/editor/stripe/register')).json()).toMatchObject({
      registered: false,
      endpointId: null,
    });
    expect(await (await t.admin('GET', '/environments/editor/stripe')).json()).toMatchObject({
      webhookSecret: null,
      webhookEnabled: false,
      stripeEndpointId: null,
    });
    expect((await t.admin('DELETE', '/environments/editor/stripe/register')).status).toBe(404);
    // Registering again creates a fresh endpoint with a fresh secret.
    expect((await register('editor')).body).toMatchObject({ created: true });
  });

  it('documents the calls in the OpenAPI document', async () => {
    const doc = (await (await t.app.request('/admin/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/environments/{env}/stripe/register'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'post',
    ]);
    expect(Object.keys(doc.paths['/environments/{env}/stripe/reconcile'] ?? {})).toEqual(['post']);
  });
});
