import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { events } from '../src/db/schema.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, loadStripeEvents, signatureHeader, stripeEvent } from './support/stripe-events.js';

const SECRET = 'whsec_ingest_test_secret_0123456789';
const SECRET_KEY = 'sk_test_51IngestTestKeyabcdefghij4242';
const PATH = '/stripe/production';

const expectedActions: Record<string, string> = {
  'payment_intent.payment_failed': 'failed',
  'customer.subscription.updated': 'updated',
  'checkout.session.completed': 'completed',
  'invoice.payment_failed': 'payment_failed',
};

describeEachDriver('webhook ingest', (ctx) => {
  let t: ReturnType<typeof testApp>;
  const rowCount = async () => (await ctx.database.db.select({ n: count() }).from(events))[0]!.n;

  beforeAll(async () => {
    t = testApp(ctx.database);
    const put = await t.admin('PUT', '/environments/production/stripe', {
      secretKey: SECRET_KEY,
      webhookEnabled: true,
      webhookPath: PATH,
      webhookSecret: SECRET,
    });
    expect(put.status).toBe(200);
    await t.admin('PUT', '/environments/staging/stripe', {
      webhookEnabled: false,
      webhookPath: '/stripe/staging',
      webhookSecret: SECRET,
    });
  });

  it('stores every real Stripe event with its action and answers 200', async () => {
    const fixtures = loadStripeEvents();
    for (const fixture of fixtures) {
      const event = freshCopy(fixture);
      const res = await t.deliver(PATH, JSON.stringify(event), SECRET);
      expect(res.status, fixture.type).toBe(200);
      const [row] = await ctx.database.db.select().from(events).where(eq(events.stripeId, event.id));
      const action = expectedActions[fixture.type] ?? fixture.type.split('.').at(-1);
      expect(row, fixture.type).toMatchObject({
        environment: 'production',
        type: fixture.type,
        action,
        objectId: fixture.data.object.id ?? null,
        created: fixture.created,
        livemode: fixture.livemode,
        apiVersion: fixture.api_version,
        payload: event,
      });
      expect(row!.receivedAt).toBeInstanceOf(Date);
    }
    expect(fixtures.length).toBeGreaterThanOrEqual(29);
  });

  it('stores an event of a type no workflow knows, with its account', async () => {
    const event = {
      id: 'evt_unhandled_1',
      object: 'event',
      type: 'balance.available',
      created: 1767227003,
      livemode: false,
      account: 'acct_123',
      api_version: null,
      data: { object: { object: 'balance' } },
    };
    expect((await t.deliver(PATH, JSON.stringify(event), SECRET)).status).toBe(200);
    const [row] = await ctx.database.db.select().from(events).where(eq(events.stripeId, 'evt_unhandled_1'));
    expect(row).toMatchObject({
      type: 'balance.available',
      action: 'available',
      account: 'acct_123',
      objectId: null,
      apiVersion: null,
    });
  });

  it('stores the same event delivered 20 times at once exactly once', async () => {
    const body = JSON.stringify(freshCopy(stripeEvent('invoice.paid')));
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.deliver(PATH, body, SECRET)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const id = JSON.parse(body).id as string;
    expect((await ctx.database.db.select({ n: count() }).from(events).where(eq(events.stripeId, id)))[0]!.n).toBe(1);
    const bodies = await Promise.all(answers.map((r) => r.json() as Promise<{ duplicate: boolean }>));
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
  });

  it('answers a later redelivery 200 without a second row', async () => {
    const body = JSON.stringify(freshCopy(stripeEvent('charge.succeeded')));
    expect((await t.deliver(PATH, body, SECRET)).status).toBe(200);
    const before = await rowCount();
    const again = await t.deliver(PATH, body, SECRET);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await rowCount()).toBe(before);
  });

  describe('rejects bad input with 400, storing nothing', () => {
    const body = () => JSON.stringify(freshCopy(stripeEvent('invoice.paid')));
    const post = (payload: string, headers: Record<string, string>) =>
      t.app.request(`/api${PATH}`, { method: 'POST', headers, body: payload });

    it.each([
      ['a missing header', async (p: string) => post(p, {}), 'missing_header'],
      [
        'a malformed header',
        async (p: string) => post(p, { 'stripe-signature': 'not-a-signature' }),
        'malformed_header',
      ],
      [
        'a wrong secret',
        async (p: string) => post(p, { 'stripe-signature': await signatureHeader(p, 'whsec_wrong') }),
        'no_valid_signature',
      ],
      [
        'a stale timestamp',
        async (p: string) =>
          post(p, { 'stripe-signature': await signatureHeader(p, SECRET, Math.floor(Date.now() / 1000) - 301) }),
        'stale_timestamp',
      ],
      [
        'a tampered body',
        async (p: string) =>
          post(p.replace('"invoice.paid"', '"invoice.voided"'), {
            'stripe-signature': await signatureHeader(p, SECRET),
          }),
        'no_valid_signature',
      ],
    ])('%s', async (_name, send, reason) => {
      const before = await rowCount();
      const res = await send(body());
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_signature', reason });
      expect(await rowCount()).toBe(before);
    });

    it.each([
      ['a body that is not JSON', 'this is not json'],
      ['a JSON array', '[1,2,3]'],
      ['an object that is not an event', '{"hello":"world"}'],
    ])('%s, even correctly signed', async (_name, payload) => {
      const before = await rowCount();
      const res = await t.deliver(PATH, payload, SECRET);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_payload' });
      expect(await rowCount()).toBe(before);
    });
  });

  it('answers 404 for an unknown path and a disabled webhook', async () => {
    const body = JSON.stringify(freshCopy(stripeEvent('invoice.paid')));
    const before = await rowCount();
    expect((await t.deliver('/nowhere', body, SECRET)).status).toBe(404);
    expect((await t.deliver('/stripe/staging', body, SECRET)).status).toBe(404);
    expect(await rowCount()).toBe(before);
  });

  it('answers 413 to a body over 1 MiB, counting streamed bytes without Content-Length', async () => {
    const before = await rowCount();
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await t.app.request(`/api${PATH}`, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=00' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    const declared = await t.app.request(`/api${PATH}`, {
      method: 'POST',
      headers: { 'content-length': String(2 * 1024 * 1024), 'stripe-signature': 't=1,v1=00' },
      body: 'x',
    });
    expect(declared.status).toBe(413);
    expect(await rowCount()).toBe(before);
  });

  it('logs one line per delivery with environment, event id, type, outcome and duration, and never a secret', async () => {
    const event = freshCopy(stripeEvent('customer.created'));
    await t.deliver(PATH, JSON.stringify(event), SECRET);
    const line = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.eventId === event.id);
    expect(line).toMatchObject({
      msg: 'webhook delivery',
      environment: 'production',
      type: 'customer.created',
      outcome: 'stored',
      status: 200,
      durationMs: expect.any(Number),
    });
    const all = t.logLines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET_KEY);
    expect(all).not.toContain('IngestTestKey');
  });
});

describeEachDriver('webhook ingest with the database down', (ctx) => {
  it('answers 503, never 200, when the event cannot be committed', async () => {
    // A database of its own, so closing it does not disturb other suites.
    const database =
      ctx.driver === 'pglite'
        ? await openDatabase({ driver: 'pglite' })
        : await openDatabase({ driver: 'postgres', url: ctx.url!, poolSize: 2 });
    const t = testApp(database);
    await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/down',
      webhookSecret: SECRET,
    });
    expect((await t.deliver('/down', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), SECRET)).status).toBe(200);

    await database.close();
    const res = await t.deliver('/down', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), SECRET);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'unavailable' });
    expect((await t.app.request('/healthz')).status).toBe(503);
  });
});
