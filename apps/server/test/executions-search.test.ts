import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionJson, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, type StripeEventFixture, stripeEvent } from './support/stripe-events.js';

const SECRET = 'whsec_executions_search_secret';

interface BulkAnswer {
  retried: number;
  remaining: number;
  executions: { id: string; parentId: string }[];
  skipped: { id: string; reason: string }[];
  until?: string;
}

/** A search hit as the list answers it: no step payloads. */
interface Hit {
  id: string;
  workflowId: string;
  workflowVersion: number;
  origin: string;
  environment: string;
  eventId: string;
  eventType: string;
  objectId: string | null;
  status: string;
  parentId: string | null;
  deadLettered: boolean;
  retriedAt: string | null;
  createdAt: string;
  steps: Record<string, unknown>[];
}

describeEachDriver('executions search, dead letters and bulk retry', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let receiver: Server;
  let url: string;
  /** Every request the workflows' HTTP steps made, by path. */
  const hits: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    t = testApp(ctx.database);
    await t.start();
    for (const env of ['editor', 'production'] as const) {
      const res = await t.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/search/${env}`,
        webhookSecret: SECRET,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const createWorkflow = async (doc: unknown, publish = true) => {
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(201);
    const wf = (await res.json()) as { id: string };
    if (publish)
      expect((await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' })).status).toBe(200);
    return wf;
  };
  const logging = (name: string, trigger: string) => ({
    name,
    nodes: [
      { id: 'trigger', type: trigger, config: {} },
      { id: 'note', type: 'log', config: { message: 'seen {{ context.event.object.id }}' } },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'note' }],
  });
  const failing = (name: string, trigger: string) => ({
    name,
    nodes: [
      { id: 'trigger', type: trigger, config: {} },
      { id: 'check', type: 'fail', config: { message: 'broken on purpose' } },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'check' }],
  });
  /** A copy of a real event about the given object. */
  const about = (type: string, objectId: string): StripeEventFixture => {
    const e = freshCopy(stripeEvent(type));
    e.data = { ...e.data, object: { ...e.data.object, id: objectId } };
    return e;
  };
  const deliver = async (env: 'editor' | 'production', e: StripeEventFixture) =>
    expect((await t.deliver(`/search/${env}`, JSON.stringify(e), SECRET)).status).toBe(200);

  const list = async (query: string) => {
    const res = await t.admin('GET', `/executions?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return { items: (await res.json()) as Hit[], next: res.headers.get('X-Next-Cursor') };
  };
  /** Every hit of a query, following the cursor. */
  const listAll = async (query: string, limit: number) => {
    const pages: Hit[][] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(page.items);
      cursor = page.next;
      expect(pages.length).toBeLessThan(1000);
    } while (cursor);
    return { pages, items: pages.flat() };
  };
  /** Polls the search (its items have every status needed here) until `done` holds. */
  const waitForList = async (query: string, done: (items: Hit[]) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { items } = await list(query);
      if (done(items)) return items;
      if (Date.now() > deadline)
        throw new Error(`never settled: ${JSON.stringify(items.map((x) => [x.id, x.status]))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const settled = (query: string, n: number) =>
    waitForList(query, (xs) => xs.length === n && xs.every((x) => x.status === 'succeeded' || x.status === 'failed'));

  describe('search', () => {
    let invoices: { id: string };
    let customers: { id: string };
    let broken: { id: string };
    const tag = `${Date.now()}`;
    const invA = `in_searchA_${tag}`;
    const invB = `in_searchB_${tag}`;
    const cus = `cus_search_${tag}`;

    beforeAll(async () => {
      invoices = await createWorkflow(logging('invoice notes', 'stripe.invoice'));
      customers = await createWorkflow(logging('customer notes', 'stripe.customer'));
      broken = await createWorkflow(failing('broken customers', 'stripe.customer'));
      await deliver('production', about('invoice.paid', invA));
      await deliver('production', about('invoice.payment_failed', invA));
      await deliver('production', about('invoice.paid', invB));
      await deliver('production', about('customer.created', cus));
      await deliver('production', about('customer.updated', cus));
      await deliver('editor', about('invoice.paid', invA));
      await settled(`workflowId=${invoices.id}`, 4);
      await settled(`workflowId=${customers.id}`, 2);
      await settled(`workflowId=${broken.id}`, 2);
    });

    it('finds the runs of one Stripe object and no others', async () => {
      const a = (await list(`objectId=${invA}`)).items;
      // Two production deliveries about invoice A and the editor's copy; nothing about B or the customer.
      expect(a.map((x) => [x.environment, x.eventType]).sort()).toEqual([
        ['editor', 'invoice.paid'],
        ['production', 'invoice.paid'],
        ['production', 'invoice.payment_failed'],
      ]);
      expect(a.every((x) => x.objectId === invA && x.workflowId === invoices.id)).toBe(true);
      const inProduction = (await list(`objectId=${invA}&environment=production`)).items;
      expect(inProduction).toHaveLength(2);
      const c = (await list(`objectId=${cus}&environment=production`)).items;
      expect(c).toHaveLength(4);
      expect(new Set(c.map((x) => x.workflowId))).toEqual(new Set([customers.id, broken.id]));
      expect((await list(`objectId=in_nobody_${tag}`)).items).toEqual([]);
    });

    it('filters by workflow, status, event type, environment and time range, newest first', async () => {
      const byWorkflow = (await list(`workflowId=${invoices.id}&environment=production`)).items;
      expect(byWorkflow.map((x) => x.objectId).sort()).toEqual([invA, invA, invB].sort());
      const times = byWorkflow.map((x) => Date.parse(x.createdAt));
      expect([...times].sort((p, q) => q - p)).toEqual(times);

      const failed = (await list(`status=failed&environment=production&objectId=${cus}`)).items;
      expect(failed.map((x) => [x.workflowId, x.status])).toEqual([
        [broken.id, 'failed'],
        [broken.id, 'failed'],
      ]);

      const paid = (await list(`type=invoice.paid&workflowId=${invoices.id}`)).items;
      expect(paid.map((x) => [x.environment, x.objectId]).sort()).toEqual([
        ['editor', invA],
        ['production', invA],
        ['production', invB],
      ]);
      expect(
        (await list(`type=invoice.payment_failed&workflowId=${invoices.id}`)).items.map((x) => x.objectId),
      ).toEqual([invA]);

      const editor = (await list(`environment=editor&workflowId=${invoices.id}`)).items;
      expect(editor.map((x) => x.environment)).toEqual(['editor']);

      // A boundary taken from the runs themselves: `from` keeps it and everything after, `to` everything before.
      const all = (await list(`workflowId=${invoices.id}`)).items;
      const boundary = all[1]!.createdAt;
      const from = (await list(`workflowId=${invoices.id}&from=${boundary}`)).items;
      const to = (await list(`workflowId=${invoices.id}&to=${boundary}`)).items;
      expect(from.every((x) => x.createdAt >= boundary)).toBe(true);
      expect(to.every((x) => x.createdAt <= boundary)).toBe(true);
      expect([...from, ...to].map((x) => x.id).sort()).toEqual(all.map((x) => x.id).sort());
      expect(from.map((x) => x.id)).toContain(all[1]!.id);
      expect((await list(`workflowId=${invoices.id}&from=${boundary}&to=${boundary}`)).items).toEqual([]);
    });

    it('list items carry each step as node and status only; the detail has the payloads', async () => {
      const [hit] = (await list(`workflowId=${invoices.id}&objectId=${invB}`)).items;
      expect(hit!.steps).toEqual([
        { nodeId: 'trigger', status: 'succeeded' },
        { nodeId: 'note', status: 'succeeded' },
      ]);
      const raw = await (await t.admin('GET', `/executions?workflowId=${invoices.id}`)).text();
      expect(raw).not.toContain('"output"');
      expect(raw).not.toContain('"input"');
      const detail = (await (await t.admin('GET', `/executions/${hit!.id}`)).json()) as ExecutionJson;
      expect(detail.steps.find((s) => s.nodeId === 'note')!.output).toBeDefined();
    });

    it('pages by cursor: every run exactly once, in or across environments', async () => {
      const everything = await listAll('', 500);
      expect(everything.pages).toHaveLength(1);
      for (const limit of [1, 3]) {
        const paged = await listAll('', limit);
        expect(paged.pages.every((p) => p.length <= limit)).toBe(true);
        expect(paged.items.map((x) => x.id)).toEqual(everything.items.map((x) => x.id));
        expect(new Set(paged.items.map((x) => x.id)).size).toBe(paged.items.length);
      }
      const production = await listAll('environment=production', 2);
      expect(production.items.map((x) => x.id)).toEqual(
        everything.items.filter((x) => x.environment === 'production').map((x) => x.id),
      );
    });

    it('refuses a cursor it did not give out and bad filters, with a clear error', async () => {
      const bad = await t.admin('GET', '/executions?cursor=not-a-cursor');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/cursor/);
      const badTime = await t.admin('GET', '/executions?from=yesterday');
      expect(badTime.status).toBe(400);
      expect(((await badTime.json()) as { message: string }).message).toMatch(/ISO 8601/);
    });

    it('the dead-letter view lists only failed runs not retried yet', async () => {
      const dead = (await list(`deadLetter=true&environment=production`)).items;
      const mine = dead.filter((x) => x.objectId === cus);
      expect(mine).toHaveLength(2);
      expect(dead.every((x) => x.status === 'failed' && x.deadLettered && x.retriedAt === null)).toBe(true);
      // Retried by hand: it leaves the view, its retry (failing again) enters it.
      const retried = await t.admin('POST', `/executions/${mine[0]!.id}/retry`);
      expect(retried.status).toBe(201);
      const retry = (await retried.json()) as { id: string };
      await settled(`workflowId=${broken.id}`, 3);
      const after = (await list(`deadLetter=true&objectId=${cus}`)).items;
      expect(after.map((x) => x.id).sort()).toEqual([mine[1]!.id, retry.id].sort());
      const original = (await (await t.admin('GET', `/executions/${mine[0]!.id}`)).json()) as Hit;
      expect(original).toMatchObject({ status: 'failed', deadLettered: true, retriedAt: expect.any(String) });
    });
  });

  describe('bulk retry', () => {
    it('retries 50 failed runs exactly once each, however many calls race', async () => {
      const tag = `${Date.now()}`;
      const wf = await createWorkflow(failing('broken then fixed', 'stripe.invoice'));
      const N = 50;
      for (let i = 0; i < N; i++) await deliver('production', about('invoice.paid', `in_bulk_${tag}_${i}`));
      const failed = await settled(`workflowId=${wf.id}&limit=100`, N);
      expect(failed.every((x) => x.status === 'failed')).toBe(true);

      // The fix: the failing step becomes a call to the receiver, once per invoice.
      const fixed = {
        name: 'broken then fixed',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: {} },
          {
            id: 'check',
            type: 'http.request',
            config: { method: 'POST', url: `${url}/bulk/{{ context.event.object.id }}` },
          },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'check' }],
      };
      expect((await t.admin('PUT', `/workflows/${wf.id}`, fixed)).status).toBe(200);

      const body = { filter: { workflowId: wf.id, environment: 'production' }, version: 'latest' };
      const answers = await Promise.all(
        [1, 2, 3].map(async () => {
          const res = await t.admin('POST', '/executions/retry', body);
          expect(res.status).toBe(200);
          return (await res.json()) as {
            retried: number;
            remaining: number;
            executions: { id: string; parentId: string }[];
          };
        }),
      );
      expect(answers.reduce((n, a) => n + a.retried, 0)).toBe(N);
      const parents = answers.flatMap((a) => a.executions.map((x) => x.parentId));
      expect(new Set(parents)).toEqual(new Set(failed.map((x) => x.id)));
      expect(parents).toHaveLength(N);
      // Nothing is left: a repeat retries none twice, by filter or by id.
      const again = (await (await t.admin('POST', '/executions/retry', body)).json()) as {
        retried: number;
        remaining: number;
      };
      expect(again).toMatchObject({ retried: 0, remaining: 0 });
      const byId = await t.admin('POST', '/executions/retry', { ids: failed.map((x) => x.id), version: 'latest' });
      expect(await byId.json()).toMatchObject({ retried: 0, remaining: 0, executions: [] });

      const runs = await waitForList(
        `workflowId=${wf.id}&limit=200`,
        (xs) => xs.length === 2 * N && xs.filter((x) => x.status === 'succeeded').length === N,
      );
      const retries = runs.filter((x) => x.origin === 'retry');
      expect(retries.every((x) => x.workflowVersion === 2 && x.status === 'succeeded')).toBe(true);
      const calls = hits.filter((h) => h.includes(`/bulk/in_bulk_${tag}_`));
      expect(calls).toHaveLength(N);
      expect(new Set(calls).size).toBe(N);
      expect((await list(`deadLetter=true&workflowId=${wf.id}`)).items).toEqual([]);
    });

    it('retries 250 failed runs exactly once each while three callers loop until none remain', async () => {
      const tag = `${Date.now()}`;
      const wf = await createWorkflow(failing('products broken then fixed', 'stripe.product'));
      const N = 250;
      for (let i = 0; i < N; i++) await deliver('production', about('product.created', `prod_race_${tag}_${i}`));
      const failed = await settled(`workflowId=${wf.id}&limit=500`, N);
      expect(failed.every((x) => x.status === 'failed')).toBe(true);
      const fixed = {
        name: 'products broken then fixed',
        nodes: [
          { id: 'trigger', type: 'stripe.product', config: {} },
          {
            id: 'check',
            type: 'http.request',
            config: { method: 'POST', url: `${url}/race/{{ context.event.object.id }}` },
          },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'check' }],
      };
      expect((await t.admin('PUT', `/workflows/${wf.id}`, fixed)).status).toBe(200);

      // Each caller is "Retry all matching": batches of at most 100, the bound the first answer gave, until none remain.
      const caller = async () => {
        const answers: BulkAnswer[] = [];
        let filter: Record<string, string> = { workflowId: wf.id, environment: 'production', status: 'failed' };
        for (;;) {
          const res = await t.admin('POST', '/executions/retry', { filter, version: 'latest' });
          expect(res.status, await res.clone().text()).toBe(200);
          const a = (await res.json()) as BulkAnswer;
          answers.push(a);
          filter = { ...filter, to: a.until! };
          if (a.remaining === 0) return answers;
          expect(answers.length).toBeLessThan(N);
        }
      };
      const answers = (await Promise.all([caller(), caller(), caller()])).flat();
      // 250 rows over calls of at most 100: the pick cannot take them all in one statement.
      expect(answers.every((a) => a.retried <= 100)).toBe(true);
      expect(answers.reduce((n, a) => n + a.retried, 0)).toBe(N);
      const parents = answers.flatMap((a) => a.executions.map((x) => x.parentId));
      expect(parents).toHaveLength(N);
      expect(new Set(parents)).toEqual(new Set(failed.map((x) => x.id)));

      await waitForList(
        `workflowId=${wf.id}&limit=500`,
        (xs) => xs.filter((x) => x.origin === 'retry' && x.status === 'succeeded').length === N,
      );
      const calls = hits.filter((h) => h.startsWith(`/race/prod_race_${tag}_`));
      expect(calls).toHaveLength(N);
      expect(new Set(calls)).toEqual(new Set(Array.from({ length: N }, (_, i) => `/race/prod_race_${tag}_${i}`)));
      expect((await list(`deadLetter=true&workflowId=${wf.id}`)).items).toEqual([]);
    });

    it('says which ids it did not retry and why; refuses an id that is not a number and changes nothing', async () => {
      const tag = `${Date.now()}`;
      const wf = await createWorkflow(failing('prices broken', 'stripe.price'));
      const gone = await createWorkflow(failing('prices broken, then deleted', 'stripe.price'));
      for (let i = 0; i < 3; i++) await deliver('production', about('price.created', `price_skip_${tag}_${i}`));
      const [f1, f2, f3] = await settled(`workflowId=${wf.id}`, 3);
      const [orphan] = await settled(`workflowId=${gone.id}&objectId=price_skip_${tag}_0`, 1);
      expect((await t.admin('DELETE', `/workflows/${gone.id}`)).status).toBe(204);
      const [succeeded] = (await list('status=succeeded&limit=1')).items;

      const bad = await t.admin('POST', '/executions/retry', { ids: [f3!.id, f3!.id, f3!.id, 'ex_12'] });
      expect(bad.status).toBe(400);
      const refusal = (await bad.json()) as { error: string; message: string };
      expect(refusal).toMatchObject({ error: 'invalid_request' });
      expect(refusal.message).toContain('ids[3]');
      expect(((await (await t.admin('GET', `/executions/${f3!.id}`)).json()) as Hit).retriedAt).toBeNull();

      expect((await t.admin('POST', `/executions/${f1!.id}/retry`)).status).toBe(201);
      const missing = '999999999999';
      const res = await t.admin('POST', '/executions/retry', {
        ids: [f1!.id, f2!.id, succeeded!.id, missing, orphan!.id, f2!.id],
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as BulkAnswer;
      expect(answer).toMatchObject({ retried: 1, remaining: 0 });
      expect(answer.executions.map((x) => x.parentId)).toEqual([f2!.id]);
      expect(answer.skipped).toEqual([
        { id: f1!.id, reason: 'already retried' },
        { id: succeeded!.id, reason: 'not failed' },
        { id: missing, reason: 'not found' },
        { id: orphan!.id, reason: 'workflow deleted' },
      ]);
      expect(answer.until).toBeUndefined();
    });

    it('bounds a filter without `to` by the database clock and answers the bound as `until`', async () => {
      const tag = `${Date.now()}`;
      const wf = await createWorkflow(failing('prices always broken', 'stripe.price'));
      for (let i = 0; i < 2; i++) await deliver('production', about('price.updated', `price_until_${tag}_${i}`));
      const parents = await settled(`workflowId=${wf.id}`, 2);
      const filter = { workflowId: wf.id };
      const first = (await (await t.admin('POST', '/executions/retry', { filter })).json()) as BulkAnswer;
      expect(first).toMatchObject({ retried: 2, remaining: 0, skipped: [] });
      const until = first.until!;
      expect(until).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/);
      // On the 'same' version the retries fail again: new dead letters, created after the bound.
      const runs = await settled(`workflowId=${wf.id}`, 4);
      const retries = runs.filter((x) => x.origin === 'retry');
      expect(retries).toHaveLength(2);
      for (const p of parents) expect(Date.parse(p.createdAt)).toBeLessThanOrEqual(Date.parse(until));
      for (const r of retries) expect(Date.parse(r.createdAt)).toBeGreaterThanOrEqual(Date.parse(until));
      expect((await list(`deadLetter=true&workflowId=${wf.id}`)).items.map((x) => x.id).sort()).toEqual(
        retries.map((x) => x.id).sort(),
      );

      const next = (await (
        await t.admin('POST', '/executions/retry', { filter: { ...filter, to: until } })
      ).json()) as BulkAnswer;
      expect(next).toMatchObject({ retried: 0, remaining: 0, until });
      // A new "retry all matching" (no `to`) is a new decision: it takes the new dead letters.
      const fresh = (await (await t.admin('POST', '/executions/retry', { filter })).json()) as BulkAnswer;
      expect(fresh.retried).toBe(2);
      expect(Date.parse(fresh.until!)).toBeGreaterThan(Date.parse(until));
    });

    it('retries at most 100 per call and says how many remain; ids are capped likewise', async () => {
      const tag = `${Date.now()}`;
      const wf = await createWorkflow(failing('always broken', 'stripe.customer'));
      const N = 120;
      for (let i = 0; i < N; i++) await deliver('production', about('customer.created', `cus_cap_${tag}_${i}`));
      await settled(`workflowId=${wf.id}&limit=500`, N);
      // Bounded by the time the bulk retry started: the retries failing again meanwhile are new dead letters,
      // for a later decision, not more of this one.
      const body = { filter: { workflowId: wf.id, status: 'failed', to: new Date().toISOString() } };
      const first = (await (await t.admin('POST', '/executions/retry', body)).json()) as {
        retried: number;
        remaining: number;
      };
      expect(first).toMatchObject({ retried: 100, remaining: 20 });
      const second = (await (await t.admin('POST', '/executions/retry', body)).json()) as {
        retried: number;
        remaining: number;
      };
      expect(second).toMatchObject({ retried: 20, remaining: 0 });

      const tooMany = await t.admin('POST', '/executions/retry', {
        ids: Array.from({ length: 101 }, (_, i) => `${i + 1}`),
      });
      expect(tooMany.status).toBe(400);
      expect((await t.admin('POST', '/executions/retry', {})).status).toBe(400);
      const notFailed = await t.admin('POST', '/executions/retry', { filter: { status: 'succeeded' } });
      expect(notFailed.status).toBe(400);
      expect(((await notFailed.json()) as { message: string }).message).toMatch(/only failed/);
    });
  });
});
