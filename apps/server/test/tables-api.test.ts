import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const SECRET = 'whsec_tables_test_secret';

type RowJson = { key: string; values: Record<string, unknown>; updatedAt: string };

describeEachDriver('data tables per environment', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let receiver: Server;
  let url: string;
  const hits: { env: string; key: string | undefined }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      hits.push({ env: req.url?.slice(1) ?? '', key: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    t = testApp(ctx.database);
    await t.start();
    for (const env of ['editor', 'production'] as const) {
      const res = await t.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/tables-test/${env}`,
        webhookSecret: SECRET,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const rowsOf = async (env: string, table: string, query = '') => {
    const res = await t.admin('GET', `/environments/${env}/tables/${table}/rows${query}`);
    return { status: res.status, next: res.headers.get('X-Next-Cursor'), body: (await res.json()) as RowJson[] };
  };

  /** Grants access to the paying customer: a row per checkout session, and a call to the access service. */
  const grantWorkflow = () => ({
    name: 'grant access',
    nodes: [
      { id: 'trigger', type: 'stripe.checkout_session', config: { actions: ['completed'] } },
      {
        id: 'grant',
        type: 'table.upsert',
        config: { table: 'grants', key: '{{ context.event.object.id }}', values: { granted: true } },
      },
      { id: 'notify', type: 'http.request', config: { method: 'POST', url: `${url}/{{ context.env }}` } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'grant' },
      { id: 'e2', source: 'grant', target: 'notify' },
    ],
  });

  it('a test run writes to editor and a delivery to production; each environment reads only its own rows', async () => {
    const created = await t.admin('POST', '/workflows', grantWorkflow());
    expect(created.status).toBe(201);
    const wf = (await created.json()) as { id: string };
    expect((await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' })).status).toBe(200);

    const sample = freshCopy(stripeEvent('checkout.session.completed'));
    sample.data = { ...sample.data, object: { ...sample.data.object, id: `cs_sample_${sample.id}` } };
    const test = await t.admin('POST', `/workflows/${wf.id}/test-run`, { event: sample });
    expect(test.status).toBe(202);
    const live = freshCopy(stripeEvent('checkout.session.completed'));
    live.data = { ...live.data, object: { ...live.data.object, id: `cs_live_${live.id}` } };
    expect((await t.deliver('/tables-test/production', JSON.stringify(live), SECRET)).status).toBe(200);
    await t.waitForExecutions(
      `workflowId=${wf.id}`,
      (xs) => xs.length === 2 && xs.every((x) => x.status === 'succeeded'),
    );

    const editor = await rowsOf('editor', 'grants');
    const production = await rowsOf('production', 'grants');
    expect(editor.body.map((r) => r.key)).toEqual([`cs_sample_${sample.id}`]);
    expect(production.body.map((r) => r.key)).toEqual([`cs_live_${live.id}`]);
    expect(production.body[0]!.values).toEqual({ granted: true });
    // Staging has no such table at all.
    expect((await rowsOf('staging', 'grants')).status).toBe(404);
    const tables = (await (await t.admin('GET', '/environments/production/tables')).json()) as {
      name: string;
      rows: number;
      updatedAt: string;
    }[];
    expect(tables).toEqual([{ name: 'grants', rows: 1, updatedAt: production.body[0]!.updatedAt }]);
    expect(await (await t.admin('GET', '/environments/staging/tables')).json()).toEqual([]);
  });

  it('the same event in two environments calls out with different idempotency keys', async () => {
    const created = await t.admin('POST', '/workflows', { ...grantWorkflow(), name: 'grant twice' });
    const wf = (await created.json()) as { id: string };
    expect((await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' })).status).toBe(200);
    const event = JSON.stringify(freshCopy(stripeEvent('checkout.session.completed')));
    const eventId = JSON.parse(event).id as string;
    hits.length = 0;
    expect((await t.deliver('/tables-test/editor', event, SECRET)).status).toBe(200);
    expect((await t.deliver('/tables-test/production', event, SECRET)).status).toBe(200);
    await t.waitForExecutions(
      `workflowId=${wf.id}`,
      (xs) => xs.length === 2 && xs.every((x) => x.status === 'succeeded'),
    );
    // Both workflows (this and the first test's) ran in both environments.
    const mine = hits.filter((h) => h.key?.includes(`:${wf.id}:`));
    expect(mine.map((h) => [h.env, h.key]).sort()).toEqual([
      ['editor', `editor:${wf.id}:${eventId}:notify`],
      ['production', `production:${wf.id}:${eventId}:notify`],
    ]);
  });

  it('one batch of upserts to the same key in two environments writes two rows', async () => {
    const write = (env: 'editor' | 'production', status: string) =>
      t.services.tables.forEnvironment(env).upsert({
        table: 'batched_envs',
        key: 'in_1',
        values: { status },
        eventCreated: 100,
        eventId: 'evt_1',
        idempotencyKey: `${env}:wf:evt_1:save`,
      });
    const [editor, production] = await Promise.all([write('editor', 'draft'), write('production', 'paid')]);
    expect(editor).toMatchObject({ skipped: false, created: true });
    expect(production).toMatchObject({ skipped: false, created: true });
    expect((await rowsOf('editor', 'batched_envs')).body.map((r) => r.values)).toEqual([{ status: 'draft' }]);
    expect((await rowsOf('production', 'batched_envs')).body.map((r) => r.values)).toEqual([{ status: 'paid' }]);
    const query = { table: 'batched_envs', where: [], orderBy: [], limit: 10 };
    expect(await t.services.tables.forEnvironment('staging').query(query)).toEqual([]);
  });

  it('edits rows by hand: create, replace, search by key prefix, page with X-Next-Cursor, delete', async () => {
    const put = (key: string, values: unknown) =>
      t.admin('PUT', `/environments/production/tables/customers/rows/${encodeURIComponent(key)}`, { values });
    const first = await put('cus_b1', { plan: 'pro', seats: 3 });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ key: 'cus_b1', values: { plan: 'pro', seats: 3 } });
    // A replace, not a merge: seats is gone.
    const replaced = (await (await put('cus_b1', { plan: 'team' })).json()) as RowJson;
    expect(replaced.values).toEqual({ plan: 'team' });
    for (const key of ['cus_a1', 'cus_b2', 'cus_b3', 'cus_c1', 'key with spaces/and slash'])
      expect((await put(key, { n: key.length })).status).toBe(200);

    // Only production has the table: editor never sees a hand edit in production.
    expect((await rowsOf('editor', 'customers')).status).toBe(404);

    const page1 = await rowsOf('production', 'customers', '?limit=2');
    expect(page1.body.map((r) => r.key)).toEqual(['cus_a1', 'cus_b1']);
    expect(page1.next).toBe('cus_b1');
    const page2 = await rowsOf('production', 'customers', `?limit=2&cursor=${page1.next}`);
    expect(page2.body.map((r) => r.key)).toEqual(['cus_b2', 'cus_b3']);
    const page3 = await rowsOf('production', 'customers', `?limit=2&cursor=${page2.next}`);
    expect(page3.body.map((r) => r.key)).toEqual(['cus_c1', 'key with spaces/and slash']);
    expect(page3.next).toBeNull();

    const search = await rowsOf('production', 'customers', '?key=cus_b&limit=2');
    expect(search.body.map((r) => r.key)).toEqual(['cus_b1', 'cus_b2']);
    const searchNext = await rowsOf('production', 'customers', `?key=cus_b&limit=2&cursor=${search.next}`);
    expect(searchNext.body.map((r) => r.key)).toEqual(['cus_b3']);
    expect(searchNext.next).toBeNull();
    // A prefix is not a pattern: % and _ match only themselves.
    expect((await rowsOf('production', 'customers', '?key=cus%25')).body).toEqual([]);
    expect((await rowsOf('production', 'customers', '?key=cu_')).body).toEqual([]);
    expect((await rowsOf('production', 'customers', '?key=cus_')).body).toHaveLength(5);

    const del = await t.admin('DELETE', '/environments/production/tables/customers/rows/cus_a1');
    expect(del.status).toBe(204);
    expect((await t.admin('DELETE', '/environments/production/tables/customers/rows/cus_a1')).status).toBe(404);
    expect(
      (await t.admin('DELETE', '/environments/production/tables/customers/rows/key%20with%20spaces%2Fand%20slash'))
        .status,
    ).toBe(204);
    expect((await rowsOf('production', 'customers')).body.map((r) => r.key)).toEqual([
      'cus_b1',
      'cus_b2',
      'cus_b3',
      'cus_c1',
    ]);
    // Unstorable text is stored replaced, not refused.
    const nul = (await (await put('cus_nul', { note: 'a\u0000b' })).json()) as RowJson;
    expect(nul.values).toEqual({ note: 'a\ufffdb' });
  });

  it('refuses bad input with a stable code and writes nothing', async () => {
    const before = await (await t.admin('GET', '/environments/production/tables')).json();
    const cases: [string, string, unknown][] = [
      ['PUT', '/environments/production/tables/Bad-Name/rows/k', { values: {} }],
      ['PUT', '/environments/production/tables/ok_table/rows/k', { values: [1, 2] }],
      ['PUT', '/environments/production/tables/ok_table/rows/k', { values: 'paid' }],
      ['PUT', '/environments/production/tables/ok_table/rows/k', {}],
      ['PUT', `/environments/production/tables/ok_table/rows/${'k'.repeat(501)}`, { values: {} }],
      ['PUT', '/environments/nowhere/tables/ok_table/rows/k', { values: {} }],
      ['GET', '/environments/production/tables/1table/rows', undefined],
      ['GET', '/environments/production/tables/customers/rows?limit=0', undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.admin(method, path, body);
      expect([path, res.status]).toEqual([path, 400]);
      const answer = (await res.json()) as { error: string; message: string; issues: unknown[] };
      expect(answer.error).toBe('invalid_request');
      expect(answer.message.length).toBeGreaterThan(0);
    }
    const notObject = await t.admin('PUT', '/environments/production/tables/ok_table/rows/k', { values: [1] });
    expect(((await notObject.json()) as { message: string }).message).toMatch(/values.*JSON object/);
    expect(await (await t.admin('GET', '/environments/production/tables')).json()).toEqual(before);
    const missing = await t.admin('GET', '/environments/production/tables/no_such_table/rows');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('the unscoped /tables routes are gone', async () => {
    for (const [method, path] of [
      ['GET', '/tables'],
      ['POST', '/tables'],
      ['GET', '/tables/grants/rows'],
    ] as const) {
      const res = await t.admin(method, path, method === 'POST' ? { name: 'x' } : undefined);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    }
  });
});
