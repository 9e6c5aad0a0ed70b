import { REJECTION_REASONS, REJECTIONS_KEPT, type Rejection } from '@switchyard/contract';
import { beforeAll, expect, it } from 'vitest';
import { refusalOf } from '../src/ingest/refusal.js';
import type { RefusalRow } from '../src/rejections/store.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, signatureHeader, stripeEvent } from './support/stripe-events.js';

const SIGNING = 'whsec_refused_deliveries_test';

it('maps every refusing outcome of ingest to a listed reason, and the rest to none', () => {
  const environment = 'production' as const;
  const reasons = [
    refusalOf({ kind: 'disabled', environment }),
    refusalOf({ kind: 'too_large', environment }),
    refusalOf({ kind: 'secret_unreadable', environment }),
    ...(
      ['missing_header', 'malformed_header', 'no_valid_signature', 'stale_timestamp', 'no_signing_secret'] as const
    ).map((reason) => refusalOf({ kind: 'bad_signature', environment, reason, message: '' })),
    ...(['invalid_json', 'not_an_object', 'bad_id', 'bad_type', 'bad_created', 'unstorable'] as const).map((reason) =>
      refusalOf({ kind: 'bad_payload', environment, reason, message: '' }),
    ),
  ].map((r) => r?.reason);
  expect(new Set(reasons)).toEqual(new Set(REJECTION_REASONS));
  expect(refusalOf({ kind: 'unknown_path' })).toBeUndefined();
  expect(refusalOf({ kind: 'unavailable', environment, error: new Error('down') })).toBeUndefined();
  expect(refusalOf({ kind: 'stored', environment, eventId: 'evt_1', type: 'invoice.paid' })).toBeUndefined();
});

describeEachDriver('refused deliveries', (ctx) => {
  let t: ReturnType<typeof testApp>;
  const count = async (table: string, where = '') =>
    Number((await ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} ${where}`, []))[0]!.n);
  const rejections = async (env: string) =>
    (await (await t.admin('GET', `/environments/${env}/rejections`)).json()) as Rejection[];

  beforeAll(async () => {
    t = testApp(ctx.database);
    for (const env of ['staging', 'production'] as const) {
      const put = await t.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/refused/${env}`,
        webhookSecret: SIGNING,
      });
      expect(put.status).toBe(200);
    }
    await t.admin('PUT', '/environments/editor/stripe', { webhookEnabled: false, webhookPath: '/refused/editor' });
  });

  it('lists 30 forged deliveries, newest first, and stores nothing else of them', async () => {
    const forged: string[] = [];
    for (let i = 0; i < 30; i++) {
      const event = freshCopy(stripeEvent('invoice.paid'));
      forged.push(event.id);
      const res = await t.deliver('/refused/production', JSON.stringify(event), 'whsec_not_the_secret');
      expect(res.status).toBe(400);
    }
    await t.services.refusals.flush();
    const listed = await rejections('production');
    expect(listed).toHaveLength(30);
    expect(listed.every((r) => r.status === 400 && r.reason === 'bad_signature')).toBe(true);
    const times = listed.map((r) => Date.parse(r.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(await count('events')).toBe(0);
    expect(await count('executions')).toBe(0);
    // Only when, the status and why: no column for a body or a header, and no trace of the forged ids.
    const columns = await ctx.database.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'delivery_refusals' ORDER BY column_name`,
      [],
    );
    expect(columns.map((c) => c.column_name)).toEqual(['at', 'environment', 'reason', 'seq', 'slot', 'status']);
    const stored = JSON.stringify(await ctx.database.query('SELECT * FROM delivery_refusals', []));
    for (const id of forged) expect(stored).not.toContain(id);
    expect(await rejections('staging')).toEqual([]);
  });

  it('records each reason the webhook route refuses with, per environment, and nothing for unknown paths', async () => {
    const event = freshCopy(stripeEvent('invoice.paid'));
    const body = JSON.stringify(event);
    const post = (path: string, payload: string, headers: Record<string, string>) =>
      t.app.request(`/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      });
    expect((await post('/refused/staging', body, {})).status).toBe(400);
    expect((await post('/refused/staging', body, { 'stripe-signature': 'nonsense' })).status).toBe(400);
    const stale = await signatureHeader(body, SIGNING, Math.floor(Date.now() / 1000) - 3600);
    expect((await post('/refused/staging', body, { 'stripe-signature': stale })).status).toBe(400);
    const notEvent = JSON.stringify({ id: 'not-an-event-id', type: 'invoice.paid', created: 1 });
    expect((await t.deliver('/refused/staging', notEvent, SIGNING)).status).toBe(400);
    const huge = 'x'.repeat(1024 * 1024 + 1);
    expect((await t.deliver('/refused/staging', huge, SIGNING)).status).toBe(413);
    expect((await t.deliver('/refused/editor', body, SIGNING)).status).toBe(404);
    expect((await t.deliver('/refused/nobody', body, SIGNING)).status).toBe(404);
    await t.services.refusals.flush();

    expect((await rejections('staging')).map((r) => [r.status, r.reason])).toEqual([
      [413, 'too_large'],
      [400, 'bad_id'],
      [400, 'stale_timestamp'],
      [400, 'malformed_signature'],
      [400, 'missing_signature'],
    ]);
    expect((await rejections('editor')).map((r) => [r.status, r.reason])).toEqual([[404, 'disabled']]);
    expect(await count('delivery_refusals', "WHERE environment NOT IN ('editor', 'staging', 'production')")).toBe(0);
    expect(await count('events')).toBe(0);
  });

  it('keeps 100 rows per environment after 100,001 refusals', async () => {
    // 100,000 through the store in batches of the ring's size (the statement that enforces the bound), then one
    // more through the recorder, as ingest records them.
    const batch: RefusalRow[] = Array.from({ length: REJECTIONS_KEPT }, (_, i) => ({
      at: new Date(Date.now() - 60_000 + i),
      status: 400,
      reason: 'bad_signature',
    }));
    for (let i = 0; i < 100_000 / REJECTIONS_KEPT; i++) await t.services.refusalStore.write('staging', batch);
    t.services.refusals.record({ environment: 'staging', status: 404, reason: 'disabled' });
    await t.services.refusals.flush();

    expect(await count('delivery_refusals', "WHERE environment = 'staging'")).toBe(REJECTIONS_KEPT);
    const [counter] = await ctx.database.query<{ seq: string }>(
      `SELECT seq FROM refusal_counters WHERE environment = 'staging'`,
      [],
    );
    expect(Number(counter!.seq)).toBe(100_001 + 5); // and the five of the test before
    const listed = await rejections('staging');
    expect(listed).toHaveLength(REJECTIONS_KEPT);
    expect(listed[0]).toMatchObject({ status: 404, reason: 'disabled' });
    expect(listed.slice(1).every((r) => r.reason === 'bad_signature')).toBe(true);
    // Another environment's list is its own.
    expect(await rejections('production')).toHaveLength(30);
  });

  it('holds at most 100 refusals per environment in memory between writes', async () => {
    for (let i = 0; i < 5_000; i++)
      t.services.refusals.record({ environment: 'editor', status: 400, reason: i === 4_999 ? 'bad_id' : 'bad_type' });
    await t.services.refusals.flush();
    const listed = await rejections('editor');
    expect(listed).toHaveLength(REJECTIONS_KEPT);
    expect(listed[0]!.reason).toBe('bad_id');
    const [counter] = await ctx.database.query<{ seq: string }>(
      `SELECT seq FROM refusal_counters WHERE environment = 'editor'`,
      [],
    );
    // One disabled delivery before, then only the 100 kept of the 5,000: the rest could only overwrite each other.
    expect(Number(counter!.seq)).toBe(1 + REJECTIONS_KEPT);
  });
});
