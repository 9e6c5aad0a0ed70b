import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { allTriggerEventTypes } from '../src/stripe-account/event-types.js';
import type { ReconcileProgress } from '../src/stripe-account/reconcile.js';
import { ReconcileScheduler } from '../src/stripe-account/schedule.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, type StripeObject, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_reconcile_test_secret';
const LIVE_KEY = 'sk_live_51ReconcileKeyabcdefghij4242';
const TEST_KEY = 'sk_test_51ReconcileKeyabcdefghij4242';

describeEachDriver('stripe account: reconcile', (ctx) => {
  let stripe: FakeStripe;
  let t: ReturnType<typeof testApp>;
  let workflowId: string;
  const nowS = () => Math.floor(Date.now() / 1000);

  /** A real invoice event from the fixtures, seeded in the fake as Stripe would list it. */
  const seedInvoiceEvent = (
    type: 'invoice.paid' | 'invoice.payment_failed' | 'invoice.created',
    created = nowS() - 60,
  ): StripeObject => {
    const fixture = freshCopy(stripeEvent(type));
    return stripe.seedEvent({
      ...fixture,
      id: fixture.id,
      created,
      data: { ...fixture.data, object: { ...fixture.data.object, id: `in_${randomBytes(6).toString('hex')}` } },
    });
  };
  const runsOf = async (eventId: string) =>
    (await (await t.admin('GET', `/executions?workflowId=${workflowId}&eventId=${eventId}`)).json()) as {
      status: string;
    }[];
  const reconcile = async (env: string, body?: unknown) => {
    const res = await t.admin('POST', `/environments/${env}/stripe/reconcile`, body);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
    await t.start();
    expect(
      (
        await t.admin('PUT', '/environments/production/stripe', {
          secretKey: LIVE_KEY,
          webhookEnabled: true,
          webhookPath: '/rc/production',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.admin('PUT', '/environments/staging/stripe', {
          secretKey: TEST_KEY,
          webhookEnabled: true,
          webhookPath: '/rc/staging',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
    workflowId = ((await (await t.admin('POST', '/workflows', invoiceWorkflow())).json()) as { id: string }).id;
    expect((await t.admin('POST', `/workflows/${workflowId}/publish`, { environment: 'production' })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await stripe?.close();
  });

  it('ingests exactly the missed events, each runs once, and a second reconcile ingests nothing', async () => {
    const paid = [seedInvoiceEvent('invoice.paid'), seedInvoiceEvent('invoice.paid'), seedInvoiceEvent('invoice.paid')];
    const failed = seedInvoiceEvent('invoice.payment_failed');
    seedInvoiceEvent('invoice.created'); // a type no production workflow needs: not listed
    seedInvoiceEvent('invoice.paid', nowS() - 7200); // before `since`: not listed
    // Two of the four were delivered; the other two were missed (endpoint down, say).
    for (const e of paid.slice(0, 2))
      expect((await t.deliver('/rc/production', JSON.stringify(e), SECRET)).status).toBe(200);
    for (const e of paid.slice(0, 2))
      await t.waitForExecutions(`workflowId=${workflowId}&eventId=${e.id}`, (xs) => xs[0]?.status === 'succeeded');

    const first = await reconcile('production', { since: nowS() - 3600 });
    expect(first).toEqual({ status: 200, body: { scanned: 4, ingested: 2, alreadyHad: 2 } });
    const listCall = stripe.requests.filter((r) => r.path === '/v1/events').at(-1)!;
    expect(listCall.query).toMatchObject({
      types: ['invoice.paid', 'invoice.payment_failed'],
      created: { gte: expect.any(String) },
    });

    for (const e of [...paid, failed]) {
      const runs = await t.waitForExecutions(
        `workflowId=${workflowId}&eventId=${e.id}`,
        (xs) => xs.length > 0 && xs.every((x) => x.status === 'succeeded'),
      );
      expect(runs, e.id).toHaveLength(1);
    }
    const second = await reconcile('production', { since: nowS() - 3600 });
    expect(second).toEqual({ status: 200, body: { scanned: 4, ingested: 0, alreadyHad: 4 } });
    // A webhook redelivery after reconcile is a duplicate too.
    expect(await (await t.deliver('/rc/production', JSON.stringify(failed), SECRET)).json()).toEqual({
      received: true,
      duplicate: true,
    });
    await new Promise((r) => setTimeout(r, 100));
    for (const e of [...paid, failed]) expect(await runsOf(e.id)).toHaveLength(1);
  });

  it('lists at most 20 types per call, pages with starting_after and reports progress', async () => {
    stripe.reset();
    // Nothing deployed in staging: all catalogue types of the trigger families, in groups of 20.
    for (let i = 0; i < 105; i++)
      stripe.seedEvent({
        type: 'product.created',
        created: nowS() - 100 + (i % 50),
        data: { object: { id: `prod_${i}`, object: 'product' } },
      });
    stripe.seedEvent({ type: 'price.updated', data: { object: { id: 'price_1', object: 'price' } } });
    stripe.seedEvent({ type: 'balance.available', data: { object: { object: 'balance' } } });
    const progress: ReconcileProgress[] = [];
    const result = await t.services.stripeAccount.reconcile('staging', { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ scanned: 106, ingested: 106, alreadyHad: 0 });
    const calls = stripe.requests.filter((r) => r.path === '/v1/events');
    expect(calls.every((c) => (c.query.types as string[]).length <= 20)).toBe(true);
    expect(new Set(calls.flatMap((c) => c.query.types as string[]))).toEqual(new Set(allTriggerEventTypes()));
    expect(calls.some((c) => typeof c.query.starting_after === 'string')).toBe(true);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    // One page per group of types, and a second for the group holding the 105 product events.
    const pages = Math.ceil(allTriggerEventTypes().length / 20) + 1;
    expect(progress.filter((p) => p.phase === 'listing').map((p) => p.pages)).toEqual(
      Array.from({ length: pages }, (_, i) => i + 1),
    );
    expect(progress.at(-1)).toMatchObject({ phase: 'done', scanned: 106, ingested: 106 });
    expect(t.logLines.filter((l) => l.includes('"reconcile page"')).length).toBeGreaterThanOrEqual(4);
    expect(await t.services.stripeAccount.reconcile('staging')).toEqual({ scanned: 106, ingested: 0, alreadyHad: 106 });
  });

  it('refuses a since more than 30 days back, and answers 502 when Stripe fails', async () => {
    const old = await reconcile('production', { since: nowS() - 31 * 86400 });
    expect(old.status).toBe(400);
    expect(String(old.body.message)).toMatch(/30 days/);
    expect((await reconcile('production', { since: 'yesterday' })).status).toBe(400);
    stripe.failNext({ status: 500, match: (r) => r.path === '/v1/events' });
    const failed = await reconcile('production');
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: 'stripe_error' });
  });

  it('runs on a schedule in one process at a time, once per interval', async () => {
    stripe.reset();
    const missed = seedInvoiceEvent('invoice.paid');
    const log = createLogger('silent');
    const a = new ReconcileScheduler(ctx.database.db, t.services.stripeAccount, log, { everyMs: 3_600_000 });
    const b = new ReconcileScheduler(ctx.database.db, t.services.stripeAccount, log, { everyMs: 3_600_000 });
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    const done = [...ra, ...rb];
    // Each environment with a key reconciled exactly once between the two processes.
    expect(done.map((d) => d.environment).sort()).toEqual(['production', 'staging']);
    expect(done.find((d) => d.environment === 'production')).toMatchObject({ ingested: 1 });
    await t.waitForExecutions(
      `workflowId=${workflowId}&eventId=${missed.id}`,
      (xs) => xs.length === 1 && xs[0]!.status === 'succeeded',
    );
    // Within the interval nobody runs it again.
    expect([...(await a.tick()), ...(await b.tick())]).toEqual([]);
    const status = (await (await t.admin('GET', '/environments/production/stripe/register')).json()) as {
      lastReconciledAt: string | null;
    };
    expect(status.lastReconciledAt).not.toBeNull();
  });
});
