import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { COUNTED_EVENTS, ConnectionService, PathTakenError } from '../src/connections/service.js';
import { SecretBox } from '../src/crypto/secrets.js';
import { connections, events, executions } from '../src/db/schema.js';
import { EventService } from '../src/events/service.js';
import { Inbox, type InboxEntry } from '../src/ingest/inbox.js';
import { TableService } from '../src/tables/service.js';
import { describeEachDriver } from './support/databases.js';

const entry = (id: string, overrides: Partial<InboxEntry['event']> = {}): InboxEntry => {
  const payload = {
    id,
    object: 'event',
    type: 'invoice.paid',
    created: 1700000000,
    livemode: false,
    data: { object: { id: 'in_1' } },
  };
  return {
    environment: 'production',
    raw: JSON.stringify(payload),
    event: {
      id,
      type: 'invoice.paid',
      action: 'paid',
      family: 'stripe.invoice',
      objectId: 'in_1',
      created: 1700000000,
      livemode: false,
      account: null,
      apiVersion: '2025-09-30.clover',
      ...overrides,
    },
  };
};

describeEachDriver('storage', (ctx) => {
  let service: ConnectionService;
  beforeAll(() => {
    service = new ConnectionService(ctx.database.db, new SecretBox(randomBytes(32)), 'https://sy.example.com');
  });

  it('migrations created the tables', async () => {
    const rows = await ctx.database.db.execute(sql`SELECT count(*)::int AS n FROM events`);
    expect(rows).toBeDefined();
  });

  it('an environment never configured reads as empty and disabled', async () => {
    expect(await service.get('staging')).toMatchObject({
      environment: 'staging',
      secretKey: null,
      webhookEnabled: false,
      webhookPath: null,
      webhookUrl: null,
      warnings: [],
    });
  });

  it('stores secrets encrypted and answers them masked', async () => {
    const saved = await service.put('production', {
      secretKey: 'sk_live_51Habcdefghijklmnop9876',
      webhookEnabled: true,
      webhookPath: '/stripe/prod',
      webhookSecret: 'whsec_abcdefghijklmnopqrstuv1234',
    });
    expect(saved).toMatchObject({
      secretKey: 'sk_live_…9876',
      mode: 'live',
      webhookSecret: 'whsec_…1234',
      webhookUrl: 'https://sy.example.com/api/stripe/prod',
      warnings: [],
    });
    const [row] = await ctx.database.db.select().from(connections).where(eq(connections.environment, 'production'));
    expect(JSON.stringify(row)).not.toContain('abcdefghijklmnop');
    expect(await service.secretKey('production')).toBe('sk_live_51Habcdefghijklmnop9876');
  });

  it('keeps stored secrets when a later save omits them, and clears them on null', async () => {
    await service.put('production', { webhookEnabled: false, webhookPath: '/stripe/prod' });
    expect(await service.get('production')).toMatchObject({
      secretKey: 'sk_live_…9876',
      webhookSecret: 'whsec_…1234',
      webhookEnabled: false,
    });
    await service.put('production', { webhookEnabled: true, webhookPath: '/stripe/prod', secretKey: null });
    expect(await service.get('production')).toMatchObject({
      secretKey: null,
      mode: null,
      webhookSecret: 'whsec_…1234',
    });
  });

  it('warns about a test key in production and a live key elsewhere', async () => {
    const prod = await service.put('production', {
      webhookEnabled: true,
      webhookPath: '/stripe/prod',
      secretKey: 'sk_test_51Habcdefghijklmnop4242',
    });
    expect(prod.warnings).toEqual([expect.stringMatching(/production uses a test-mode key/)]);
    const editor = await service.put('editor', {
      webhookEnabled: false,
      webhookPath: '/stripe/editor',
      secretKey: 'sk_live_51Habcdefghijklmnop9876',
    });
    expect(editor.warnings).toEqual([expect.stringMatching(/editor uses a live-mode key/)]);
  });

  it('refuses a webhook path another environment owns', async () => {
    await expect(service.put('staging', { webhookEnabled: true, webhookPath: '/stripe/prod' })).rejects.toBeInstanceOf(
      PathTakenError,
    );
    expect((await service.get('staging')).webhookPath).toBeNull();
  });

  it('routes decrypt the signing secrets for ingest', async () => {
    const routes = await service.routes();
    expect(routes.get('/stripe/prod')).toEqual({
      environment: 'production',
      enabled: true,
      signingSecrets: ['whsec_abcdefghijklmnopqrstuv1234'],
    });
  });

  it('the inbox stores each event once, across and within batches', async () => {
    const inbox = new Inbox(ctx.database);
    const results = await Promise.all(
      [entry('evt_a'), entry('evt_b'), entry('evt_a'), entry('evt_c')].map((e) => inbox.store(e)),
    );
    expect(results).toEqual(['stored', 'stored', 'duplicate', 'stored']);
    expect(await inbox.store(entry('evt_b'))).toBe('duplicate');
    const rows = await ctx.database.db
      .select({ id: events.stripeId, payload: events.payload })
      .from(events)
      .where(eq(events.environment, 'production'));
    expect(rows.map((r) => r.id).sort()).toEqual(['evt_a', 'evt_b', 'evt_c']);
    expect(rows[0]?.payload).toMatchObject({ object: 'event', data: { object: { id: 'in_1' } } });
  });

  it('the same event id in two environments is two events', async () => {
    const inbox = new Inbox(ctx.database);
    expect(await inbox.store({ ...entry('evt_a'), environment: 'staging' })).toBe('stored');
  });

  it('lists events newest first with a cursor', async () => {
    const list = new EventService(ctx.database.db);
    const first = await list.list('production', { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await list.list('production', { limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((e) => e.id).sort()).toEqual(['evt_a', 'evt_b', 'evt_c']);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ type: 'invoice.paid', action: 'paid', status: 'received' });
  });

  it('counts events by status on the connection', async () => {
    expect((await service.get('production')).eventCounts).toEqual({ received: 3 });
    expect((await service.get('production')).lastEventReceivedAt).toEqual(expect.any(String));
  });

  it('filters events by a type prefix, newest first across types, page by page', async () => {
    const inbox = new Inbox(ctx.database);
    const types = ['invoice.created', 'charge.succeeded', 'invoice.paid', 'invoice.payment_failed', 'invoicex.odd'];
    for (const [i, type] of types.entries())
      expect(await inbox.store({ ...entry(`evt_prefix_${i}`, { type, family: null }), environment: 'editor' })).toBe(
        'stored',
      );
    const list = new EventService(ctx.database.db);
    const ids = async (type: string, limit = 10, cursor?: string) => {
      const page = await list.list('editor', { limit, type, cursor });
      return { ids: page.items.map((e) => e.id), next: page.nextCursor };
    };
    // `invoice` finds every `invoice.*` (and `invoicex.odd`: a prefix, not a word), never `charge.*`.
    expect((await ids('invoice')).ids).toEqual(['evt_prefix_4', 'evt_prefix_3', 'evt_prefix_2', 'evt_prefix_0']);
    expect((await ids('invoice.')).ids).toEqual(['evt_prefix_3', 'evt_prefix_2', 'evt_prefix_0']);
    expect((await ids('invoice.paid')).ids).toEqual(['evt_prefix_2']);
    expect((await ids('invoice.paid.more')).ids).toEqual([]);
    expect((await ids('charge.succeeded')).ids).toEqual(['evt_prefix_1']);
    // Other environments' events never match; characters no type holds match nothing and break nothing.
    expect((await ids('evt')).ids).toEqual([]);
    expect((await ids('in\u0000voice')).ids).toEqual([]);
    expect((await ids('%')).ids).toEqual([]);
    const first = await ids('invoice.', 2);
    expect(first.ids).toEqual(['evt_prefix_3', 'evt_prefix_2']);
    expect(await ids('invoice.', 2, first.next!)).toEqual({ ids: ['evt_prefix_0'], next: null });
  });

  it('counts only the newest events on the connection, test samples left out', async () => {
    const { db } = ctx.database;
    await db.execute(sql`INSERT INTO events (environment, stripe_id, type, action, created, livemode, payload)
      SELECT 'editor', 'evt_many_' || i, 'charge.succeeded', 'succeeded', 1700000000, false, '{}'::jsonb
      FROM generate_series(1, ${COUNTED_EVENTS}) i`);
    const [newest] = await db
      .insert(events)
      .values({
        environment: 'editor',
        stripeId: 'evt_many_last',
        type: 'charge.failed',
        action: 'failed',
        created: 1700000001,
        livemode: false,
        payload: {},
      })
      .returning({ id: events.id });
    await db.insert(events).values({
      environment: 'editor',
      stripeId: 'evt_many_test',
      type: 'charge.failed',
      action: 'failed',
      created: 1700000002,
      livemode: false,
      payload: {},
      test: true,
    });
    await db.insert(executions).values({
      environment: 'editor',
      workflowId: 'wf_count',
      workflowVersion: 1,
      eventId: newest!.id,
      eventCreated: 1700000001,
      origin: 'event',
      status: 'pending',
    });
    // The five prefix-test events are older than the newest 1,000, so they are not counted.
    expect((await service.get('editor')).eventCounts).toEqual({ processing: 1, received: COUNTED_EVENTS - 1 });
  });

  it('upserts written in one batch keep their order per key and stay order-safe', async () => {
    const tables = new TableService(ctx.database).forEnvironment('production');
    const write = (key: string, eventCreated: number, status: string) =>
      tables.upsert({
        table: 'batched',
        key,
        values: { status },
        eventCreated,
        eventId: `evt_${eventCreated}`,
        idempotencyKey: `k_${key}_${eventCreated}`,
      });
    // Same turn of the event loop: one flush, with the same key twice.
    const [first, older, newer, other] = await Promise.all([
      write('a', 100, 'paid'),
      write('a', 50, 'open'),
      write('a', 150, 'void'),
      write('b', 10, 'draft'),
    ]);
    expect(first).toMatchObject({ skipped: false, created: true, row: { key: 'a', values: { status: 'paid' } } });
    expect(older).toEqual({ skipped: true, reason: 'stale' });
    expect(newer).toMatchObject({ skipped: false, created: false, row: { values: { status: 'void' } } });
    expect(other).toMatchObject({ skipped: false, created: true });
    const rows = await tables.query({
      table: 'batched',
      where: [],
      orderBy: [{ field: '$key', direction: 'asc' }],
      limit: 10,
    });
    expect(rows.map((r) => [r.key, r.values.status])).toEqual([
      ['a', 'void'],
      ['b', 'draft'],
    ]);
  });
});
