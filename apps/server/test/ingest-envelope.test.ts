import { randomBytes } from 'node:crypto';
import { sampleEvents } from '@switchyard/engine/samples';
import { count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { connections, events } from '../src/db/schema.js';
import { isStripeEventId, parseStripeEvent } from '../src/ingest/stripe-event.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, loadStripeEvents, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_envelope_test_secret_0123456789';
const OTHER_SECRET = 'whsec_envelope_other_secret_987654321';

describe('the Stripe event envelope', () => {
  it('accepts every real Stripe event, every sample the editor offers and the ids test runs make of them', () => {
    const fixtures = loadStripeEvents();
    expect(fixtures.length).toBeGreaterThan(0);
    for (const event of [...fixtures, ...Object.values(sampleEvents())]) {
      const id = String(event.id);
      expect(parseStripeEvent(JSON.stringify(event)).ok, id).toBe(true);
      expect(isStripeEventId(`${id}_test_${randomBytes(4).toString('hex')}`), id).toBe(true);
    }
    expect(isStripeEventId('evt_1NG8Du2eZvKYlo2CUI79vXWy')).toBe(true);
  });
});

describeEachDriver('ingest envelope', (ctx) => {
  let t: ReturnType<typeof testApp>;
  const stored = async () => (await ctx.database.db.select({ n: count() }).from(events))[0]!.n;

  beforeAll(async () => {
    t = testApp(ctx.database);
    for (const [environment, path] of [
      ['production', '/envelope/production'],
      ['staging', '/envelope/staging'],
    ] as const) {
      const put = await t.admin('PUT', `/environments/${environment}/stripe`, {
        webhookEnabled: true,
        webhookPath: path,
        webhookSecret: SECRET,
      });
      expect(put.status, await put.clone().text()).toBe(200);
    }
  });

  const base = () => freshCopy(stripeEvent('invoice.paid')) as Record<string, unknown>;
  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    ['an id over 255 characters', { id: `evt_${'a'.repeat(252)}` }, 'bad_id', /longer than 255/],
    ['an id not of Stripe’s shape', { id: 'evt_../../etc' }, 'bad_id', /not a Stripe event id/],
    ['an id without the evt_ prefix', { id: 'ch_3MmlLrLkdIwHu7ix0snN0B15' }, 'bad_id', /not a Stripe event id/],
    ['an id that is not a string', { id: 42 }, 'bad_id', /no "id"/],
    ['a type over 255 characters', { type: `invoice.${'x'.repeat(250)}` }, 'bad_type', /longer than 255/],
    ['a created with a fraction', { created: 1767227003.5 }, 'bad_created', /not an integer/],
    ['a created past the safe integers', { created: 2 ** 53 }, 'bad_created', /not an integer/],
    ['a created that is a string', { created: '1767227003' }, 'bad_created', /not an integer/],
  ];

  for (const [what, override, reason, message] of refusals) {
    it(`refuses ${what} with 400 and stores nothing`, async () => {
      const before = await stored();
      const res = await t.deliver('/envelope/production', JSON.stringify({ ...base(), ...override }), SECRET);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; reason: string; message: string };
      expect(body).toMatchObject({ error: 'invalid_payload', reason });
      expect(body.message).toMatch(message);
      expect(await stored()).toBe(before);
    });
  }

  it('still stores a valid event, with an id of 255 characters', async () => {
    const event = { ...base(), id: `evt_${'A1_'.repeat(83)}ab` };
    expect((event.id as string).length).toBe(255);
    const res = await t.deliver('/envelope/production', JSON.stringify(event), SECRET);
    expect(res.status).toBe(200);
    const rows = await ctx.database.db
      .select()
      .from(events)
      .where(eq(events.stripeId, event.id as string));
    expect(rows).toHaveLength(1);
  });

  it('test-runs a sample whose id is not a Stripe id under a fresh valid one', async () => {
    const wf = (await (await t.admin('POST', '/workflows', invoiceWorkflow('Envelope test run'))).json()) as {
      id: string;
    };
    const res = await t.admin('POST', `/workflows/${wf.id}/test-run`, {
      event: { ...stripeEvent('invoice.paid'), id: 'my hand-made event' },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const rows = await ctx.database.db
      .select({ id: events.stripeId })
      .from(events)
      .where(eq(events.environment, 'editor'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(isStripeEventId(row.id), row.id).toBe(true);
  });

  it('fails only the environment whose signing secret cannot be decrypted', async () => {
    // A replica with another master key saves staging's secret: this process cannot open it.
    const otherReplica = testApp(ctx.database, { masterKey: randomBytes(32) });
    const put = await otherReplica.admin('PUT', '/environments/staging/stripe', {
      webhookEnabled: true,
      webhookPath: '/envelope/staging',
      webhookSecret: OTHER_SECRET,
    });
    expect(put.status).toBe(200);
    t.services.routes.invalidate();
    const before = await stored();

    const staging = await t.deliver('/envelope/staging', JSON.stringify(base()), OTHER_SECRET);
    expect(staging.status).toBe(500);
    expect(await staging.json()).toMatchObject({ error: 'signing_secret_unreadable' });
    const production = await t.deliver('/envelope/production', JSON.stringify(base()), SECRET);
    expect(production.status).toBe(200);
    expect(await stored()).toBe(before + 1);

    // A corrupt row: the same, and the other environment still works.
    await ctx.database.db
      .update(connections)
      .set({ webhookSecretCipher: 'v1.not-a-sealed-secret' })
      .where(eq(connections.environment, 'production'));
    otherReplica.services.routes.invalidate();
    expect((await otherReplica.deliver('/envelope/production', JSON.stringify(base()), SECRET)).status).toBe(500);
    expect((await otherReplica.deliver('/envelope/staging', JSON.stringify(base()), OTHER_SECRET)).status).toBe(200);

    const line = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.status === 500);
    expect(line).toMatchObject({ outcome: 'secret_unreadable', environment: 'staging' });
    expect(String(line!.reason)).toMatch(/SWITCHYARD_MASTER_KEY/);
    for (const l of [...t.logLines, ...otherReplica.logLines]) {
      expect(l).not.toContain(SECRET);
      expect(l).not.toContain(OTHER_SECRET);
    }
  });
});

describeEachDriver('ingest on a stalled database', (ctx) => {
  it('answers 503 when the events table stays locked, and the retry after the lock is released stores the event once', async () => {
    // Its own store for the app, so the short lock timeout applies to it alone; the lock is taken on the suite's.
    const database =
      ctx.driver === 'postgres'
        ? await openDatabase({
            driver: 'postgres',
            url: ctx.url!,
            poolSize: 2,
            ingestTimeouts: { statementMs: 5_000, lockMs: 200 },
          })
        : ctx.database;
    try {
      // On PostgreSQL the lock timeout answers; PGlite has one connection and no timers, so the ingest deadline does.
      const t = testApp(database, { ingestStoreTimeoutMs: ctx.driver === 'postgres' ? 20_000 : 300 });
      const put = await t.admin('PUT', '/environments/production/stripe', {
        webhookEnabled: true,
        webhookPath: '/stalled',
        webhookSecret: SECRET,
      });
      expect(put.status).toBe(200);
      const event = JSON.stringify(freshCopy(stripeEvent('invoice.paid')));
      // Warm the route cache, so the lookup is not what waits.
      expect((await t.deliver('/stalled', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), SECRET)).status).toBe(
        200,
      );

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`LOCK TABLE events IN ACCESS EXCLUSIVE MODE`);
        locked();
        await released;
      });
      await isLocked;
      let res: Response;
      try {
        res = await t.deliver('/stalled', event, SECRET);
      } finally {
        release();
        await holder;
      }
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'unavailable' });
      const line = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.status === 503);
      expect(line).toMatchObject({ outcome: 'unavailable', environment: 'production' });
      if (ctx.driver === 'postgres')
        expect(line!.err).toMatchObject({ code: '55P03' }); // lock_not_available
      else expect(line!.err).toMatchObject({ message: expect.stringMatching(/did not answer within 300 ms/) });

      // Stripe retries: the event is stored exactly once (on PGlite the first insert may have committed late).
      const retry = await t.deliver('/stalled', event, SECRET);
      expect(retry.status).toBe(200);
      const id = (JSON.parse(event) as { id: string }).id;
      expect(await database.db.select().from(events).where(eq(events.stripeId, id))).toHaveLength(1);
    } finally {
      if (database !== ctx.database) await database.close();
    }
  });
});
