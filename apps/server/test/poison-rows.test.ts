import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pruneOnce } from '../src/operations/retention.js';
import { type LocalServer, startLocalServer } from './ports/local-server.js';
import { type ExecutionJson, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_poison_rows_test_secret';

/** Bytes that are not UTF-8, with a NUL: what a PDF or an image looks like to a text decoder. */
const BINARY = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80, 0x00, 0x01]);

const invoicePaid = (objectId = `in_${randomBytes(6).toString('hex')}`) => {
  const e = freshCopy(stripeEvent('invoice.paid'));
  e.data = { ...e.data, object: { ...e.data.object, id: objectId } };
  return e;
};

describeEachDriver('one bad row never fails a batch of good ones', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let receiver: LocalServer;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = await startLocalServer((req, res) => {
      switch (req.url) {
        case '/binary':
          return res.writeHead(200, { 'content-type': 'application/pdf' }).end(BINARY);
        case '/nul-json':
          // Valid JSON whose string holds an escaped NUL: parses in JavaScript, refused by jsonb.
          return res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"name":"a\\u0000b","\\u0000key":1,"lone":"\\ud800"}');
        default:
          received.push(req.url ?? '');
          return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    t = testApp(ctx.database);
    await t.start();
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          webhookEnabled: true,
          webhookPath: '/poison',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const createWorkflow = async (doc: unknown) => {
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };

  it('a binary body and a JSON body with \\u0000 in one run: 50 runs finishing with it succeed at once, its next call happens once', async () => {
    const http = (id: string, path: string, method = 'GET') => ({
      id,
      type: 'http.request',
      config: { method, url: `${receiver.url}${path}`, ...(method === 'POST' ? { json: { step: id } } : {}) },
    });
    const binaryRun = await createWorkflow({
      name: 'binary answers',
      nodes: [
        { id: 'trigger', type: 'stripe.charge', config: { actions: ['succeeded'] } },
        http('pdf', '/binary'),
        http('nul', '/nul-json'),
        http('notify', '/count', 'POST'),
      ],
      edges: [
        { id: 'e1', source: 'trigger', target: 'pdf' },
        { id: 'e2', source: 'pdf', target: 'nul' },
        { id: 'e3', source: 'nul', target: 'notify' },
      ],
    });
    const others = await createWorkflow(invoiceWorkflow('finishing alongside'));

    const charge = freshCopy(stripeEvent('charge.succeeded'));
    const bodies = [JSON.stringify(charge), ...Array.from({ length: 50 }, () => JSON.stringify(invoicePaid()))];
    const answers = await Promise.all(bodies.map((b) => t.deliver('/poison', b, SECRET)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));

    const finished = (xs: ExecutionJson[]) => xs.every((x) => x.status === 'succeeded' || x.status === 'failed');
    const otherRuns = await t.waitForExecutions(
      `workflowId=${others.id}&limit=100`,
      (xs) => xs.length === 50 && finished(xs),
    );
    const [run] = await t.waitForExecutions(`workflowId=${binaryRun.id}`, (xs) => xs.length === 1 && finished(xs));
    for (const x of otherRuns)
      expect({ status: x.status, attempt: (x as { attempt?: number }).attempt }).toEqual({
        status: 'succeeded',
        attempt: 1,
      });
    expect({ status: run!.status, attempt: (run as { attempt?: number }).attempt }).toEqual({
      status: 'succeeded',
      attempt: 1,
    });

    const output = (nodeId: string) =>
      run!.steps.find((s) => s.nodeId === nodeId)?.output as { body: unknown; bodyEncoding?: string };
    expect(output('pdf')).toMatchObject({ body: BINARY.toString('base64'), bodyEncoding: 'base64' });
    // Stored with U+FFFD in place of what jsonb cannot hold, keys included.
    expect(output('nul').body).toEqual({ name: 'a\ufffdb', '\ufffdkey': 1, lone: '\ufffd' });
    expect(received).toEqual(['/count']);
    // Nothing claims it again later: the side effect stays single.
    await t.services.runtime.worker.stop().then(() => t.services.runtime.worker.start());
    expect(received).toEqual(['/count']);
  });

  it('an unstorable delivery among 20 concurrent ones answers 400 with the reason; the other 19 are stored', async () => {
    const good = Array.from({ length: 19 }, () => invoicePaid());
    // Signed and valid JSON, but `created` would overflow the bigint column: the envelope check refuses it (a
    // `created` past the safe integers) before it can reach the batch.
    const bad = { ...invoicePaid(), created: 1e20 };
    const all = [...good.slice(0, 10), bad, ...good.slice(10)];
    const answers = await Promise.all(all.map((e) => t.deliver('/poison', JSON.stringify(e), SECRET)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(statuses[10]).toBe(400);
    expect(await answers[10]!.json()).toMatchObject({
      error: 'invalid_payload',
      reason: 'bad_created',
    });
    const listed = (await (await t.admin('GET', '/environments/editor/events?limit=200')).json()) as { id: string }[];
    const ids = new Set(listed.map((e) => e.id));
    for (const e of good) expect(ids.has(e.id)).toBe(true);
    expect(ids.has(bad.id)).toBe(false);
  });

  it('refuses a signed body holding "\\u0000" or a lone surrogate with 400, stores nothing, and keeps its batch', async () => {
    const withNul = `${JSON.stringify(invoicePaid()).slice(0, -1)},"note":"a\\u0000b"}`;
    const withSurrogate = `${JSON.stringify(invoicePaid()).slice(0, -1)},"note":"\\ud800"}`;
    const good = Array.from({ length: 8 }, () => JSON.stringify(invoicePaid()));
    const answers = await Promise.all([withNul, ...good, withSurrogate].map((b) => t.deliver('/poison', b, SECRET)));
    expect(answers.map((a) => a.status)).toEqual([400, ...good.map(() => 200), 400]);
    expect(((await answers[0]!.json()) as { message: string }).message).toMatch(/\\u0000.*cannot store/);
    expect(((await answers.at(-1)!.json()) as { message: string }).message).toMatch(/lone surrogate/);
    const listed = (await (await t.admin('GET', '/environments/editor/events?limit=200')).json()) as { id: string }[];
    const ids = new Set(listed.map((e) => e.id));
    expect(ids.has(JSON.parse(withNul).id)).toBe(false);
    expect(ids.has(JSON.parse(withSurrogate).id)).toBe(false);
    for (const b of good) expect(ids.has(JSON.parse(b).id)).toBe(true);
    // A properly paired surrogate escape (an emoji) is fine.
    const emoji = `${JSON.stringify(invoicePaid()).slice(0, -1)},"note":"\\ud83d\\ude00"}`;
    expect((await t.deliver('/poison', emoji, SECRET)).status).toBe(200);
  });

  it('a table upsert the database refuses fails alone; the upserts batched with it are written', async () => {
    const write = (key: string, eventCreated: number) =>
      t.services.tables.forEnvironment('editor').upsert({
        table: 'poison_rows',
        key,
        values: { key, nul: 'x\u0000y' },
        eventCreated,
        eventId: 'evt_rows',
        idempotencyKey: `w:${key}`,
      });
    // Same turn of the event loop: one statement, until the out-of-range `event_created` makes it fail.
    const results = await Promise.allSettled([
      ...Array.from({ length: 9 }, (_, i) => write(`ok_${i}`, 100)),
      write('bad', 1e20),
    ]);
    expect(results.slice(0, 9).map((r) => r.status)).toEqual(Array(9).fill('fulfilled'));
    expect(results[9]).toMatchObject({ status: 'rejected', reason: { name: 'NonRetriableError' } });
    const rows = await t.services.tables.rows('editor', 'poison_rows', { limit: 100 });
    expect(rows.items.map((r) => r.key).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `ok_${i}`));
    expect(rows.items[0]!.values).toMatchObject({ nul: 'x\ufffdy' });
  });
});

describeEachDriver('bounded counts and waits', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let stripe: FakeStripe;
  const nowS = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    stripe = await startFakeStripe();
    // The runtime starts only in the last test: until then runs stay where the tests put them.
    t = testApp(ctx.database, { stripeApiBase: stripe.url });
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          webhookEnabled: true,
          webhookPath: '/bounded',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await stripe?.close();
  });

  const createWorkflow = async (doc: unknown) => {
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };
  const deliverPaid = async () => {
    const e = invoicePaid();
    expect((await t.deliver('/bounded', JSON.stringify(e), SECRET)).status).toBe(200);
    return e;
  };
  const executions = async (workflowId: string) =>
    (await (await t.admin('GET', `/executions?workflowId=${workflowId}&limit=100`)).json()) as (ExecutionJson & {
      attempt: number;
    })[];

  // First in its suite: retention walks events in id order, which follows arrival, so these must be the oldest rows.
  it('retention deletes everything due even when the oldest event still has an unfinished run', async () => {
    const insertOld = async (daysAgo: number) => {
      const [row] = await ctx.database.query<{ id: string | number }>(
        `INSERT INTO events (environment, stripe_id, type, action, created, livemode, payload, received_at)
         VALUES ('staging', $1, 'invoice.paid', 'paid', 1, false, '{}'::jsonb, now() - $2 * interval '1 day') RETURNING id`,
        [`evt_old_${randomBytes(6).toString('hex')}`, daysAgo],
      );
      return Number(row!.id);
    };
    const stuck = await insertOld(60);
    await ctx.database.query(
      `INSERT INTO executions (environment, workflow_id, workflow_version, event_id, event_created, origin, status)
       VALUES ('staging', 'wf_gone', 1, $1, 1, 'event', 'pending')`,
      [stuck],
    );
    const due: number[] = [];
    for (let i = 0; i < 7; i++) due.push(await insertOld(50 - i));
    const recent = await insertOld(1);

    // Batches of 2: the kept event sits in the first one, which must not end the pass.
    expect(await pruneOnce(ctx.database, { days: 30, batchSize: 2 })).toEqual({ events: 7 });
    const left = await ctx.database.query<{ id: string | number }>(
      `SELECT id FROM events WHERE id = ANY($1::bigint[])`,
      [[stuck, ...due, recent]],
    );
    expect(left.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual([stuck, recent]);
    await ctx.database.query(`UPDATE executions SET status = 'failed' WHERE workflow_id = 'wf_gone'`, []);
  });

  it('deleting a workflow fails its pending runs at once, with the reason', async () => {
    const wf = await createWorkflow(invoiceWorkflow('to be deleted'));
    await deliverPaid();
    await deliverPaid();
    expect((await executions(wf.id)).map((x) => x.status)).toEqual(['pending', 'pending']);
    expect((await t.admin('DELETE', `/workflows/${wf.id}`)).status).toBe(204);
    const runs = await executions(wf.id);
    expect(runs.map((x) => x.status)).toEqual(['failed', 'failed']);
    for (const x of runs) expect(x.error).toMatch(/was deleted/);
  });

  it('a reschedule with an Invalid Date or a time past the bound never reaches the database as such', async () => {
    const wf = await createWorkflow(invoiceWorkflow('odd dates'));
    await deliverPaid();
    const queue = t.services.runtime.queue;
    const error = { name: 'RetryableError', message: 'later' };
    for (const runAt of [new Date(Number.NaN), new Date(8.64e15)]) {
      const [claimed] = await queue.claim('test-owner', 10, 60_000);
      expect(await queue.reschedule('test-owner', claimed!.id, runAt, claimed!.steps, error)).toBe(true);
      const [row] = await ctx.database.query<{ run_at: Date | string }>('SELECT run_at FROM executions WHERE id = $1', [
        claimed!.id,
      ]);
      const at = new Date(row!.run_at).getTime();
      expect(at).toBeGreaterThan(Date.now());
      expect(at).toBeLessThanOrEqual(Date.now() + 31 * 86_400_000);
      // Due again, for the next round of the loop.
      await ctx.database.query(`UPDATE executions SET run_at = now() WHERE id = $1`, [claimed!.id]);
    }
    // Leave nothing claimable behind, and no runs of this workflow for the next test's events.
    expect((await t.admin('DELETE', `/workflows/${wf.id}`)).status).toBe(204);
  });

  it('scheduled retries do not count towards the dead-letter limit; lapsed leases do', async () => {
    const wf = await createWorkflow(invoiceWorkflow('retried often'));
    const queue = t.services.runtime.queue;
    const retried = await deliverPaid();
    // 15 claims that each ended in a scheduled retry, as a step with many attempts would cause.
    for (let i = 0; i < 15; i++) {
      const claimed = await queue.claim('test-owner', 10, 60_000);
      expect(claimed).toHaveLength(1);
      const error = { name: 'RetryableError', message: `attempt ${i + 1} failed` };
      expect(await queue.reschedule('test-owner', claimed[0]!.id, new Date(0), claimed[0]!.steps, error)).toBe(true);
    }
    await ctx.database.query(`UPDATE executions SET status = 'failed' WHERE workflow_id = $1`, [wf.id]);
    const crashing = await deliverPaid();
    // 10 claims whose process "died": the lease lapses and the reaper returns the run.
    for (let i = 0; i < 10; i++) {
      const claimed = await queue.claim('test-owner', 10, 1);
      expect(claimed).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 5));
      expect(await queue.reapLapsedLeases()).toBe(1);
    }
    await ctx.database.query(`UPDATE executions SET status = 'pending' WHERE workflow_id = $1 AND error IS NOT NULL`, [
      wf.id,
    ]);

    await t.start();
    const runs = await t.waitForExecutions(
      `workflowId=${wf.id}`,
      (xs) => xs.length === 2 && xs.every((x) => x.status === 'succeeded' || x.status === 'failed'),
    );
    const byEvent = new Map(runs.map((x) => [x.eventId, x as ExecutionJson & { attempt: number }]));
    expect(byEvent.get(retried.id)).toMatchObject({ status: 'succeeded', attempt: 16, deadLettered: false });
    expect(byEvent.get(crashing.id)).toMatchObject({ status: 'failed', deadLettered: true });
    expect(byEvent.get(crashing.id)!.error).toMatch(/lease lapsed 10 times without the execution finishing/);
  });

  it('a reconcile failing on a later page keeps the earlier pages, and the next one resumes after them', async () => {
    await t.admin('PUT', '/environments/editor/stripe', {
      secretKey: 'sk_test_51BoundedKeyabcdefghij4242',
      webhookEnabled: true,
      webhookPath: '/bounded',
    });
    stripe.reset();
    const since = nowS() - 3600;
    const seeded = Array.from({ length: 250 }, (_, i) =>
      stripe.seedEvent({
        type: 'invoice.paid',
        created: nowS() - 600 - i,
        data: { object: { id: `in_page_${i}`, object: 'invoice', amount_paid: i } },
      }),
    );
    let listCalls = 0;
    stripe.failNext({ status: 500, match: (r) => r.path === '/v1/events' && ++listCalls === 3 });
    const first = await t.admin('POST', '/environments/editor/stripe/reconcile', { since });
    expect(first.status).toBe(502);
    const storedIds = async () =>
      new Set(
        (
          await ctx.database.query<{ stripe_id: string }>(
            `SELECT stripe_id FROM events WHERE environment = 'editor' AND stripe_id = ANY($1::text[])`,
            [seeded.map((e) => e.id)],
          )
        ).map((r) => r.stripe_id),
      );
    // Newest first: pages 1 and 2 are the 200 newest events.
    const afterFailure = await storedIds();
    expect(afterFailure.size).toBe(200);
    for (const e of seeded.slice(0, 200)) expect(afterFailure.has(e.id as string)).toBe(true);

    const before = stripe.requests.length;
    const second = await t.admin('POST', '/environments/editor/stripe/reconcile', { since });
    expect(await second.json()).toEqual({ scanned: 50, ingested: 50, alreadyHad: 0 });
    const resumed = stripe.requests.slice(before).filter((r) => r.path === '/v1/events');
    // What was created since the failed pass began (nothing), then straight after page 2.
    expect(resumed.map((r) => r.query.starting_after ?? null)).toEqual([null, seeded[199]!.id]);
    expect((await storedIds()).size).toBe(250);

    // Finished: the cursor is gone, so the next reconcile lists everything again.
    const third = await t.admin('POST', '/environments/editor/stripe/reconcile', { since });
    expect(await third.json()).toEqual({ scanned: 250, ingested: 0, alreadyHad: 250 });
  });
});
