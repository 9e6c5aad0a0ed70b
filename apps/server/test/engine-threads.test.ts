import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_engine_threads_secret';

let delivered = 0;
/** A minimal Stripe event of the given type, with a fresh id. */
function stripeEvent(type: string, object: Record<string, unknown>) {
  delivered += 1;
  return {
    id: `evt_threads_${process.pid}_${Date.now()}_${delivered}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object },
  };
}
const BUDGET_MS = 3_000;

/**
 * A run that keeps its thread busy far past any budget: 900 loop items, each evaluating 40 allowed JSONata
 * expressions of a few ms each (far under the 500 ms per-expression limit; no regular expression involved).
 */
const BURN = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, '{{ $sum([1..500].($ * 2)) }}']));
function hogWorkflow() {
  return {
    name: 'burn CPU',
    nodes: [
      { id: 'trigger', type: 'stripe.customer', config: { actions: [] } },
      { id: 'each', type: 'loop', config: { items: '{{ [1..900] }}' } },
      { id: 'burn', type: 'set', config: { values: BURN } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'each' },
      { id: 'e2', source: 'each', sourceHandle: 'each', target: 'burn' },
    ],
  };
}

describeEachDriver('engine threads', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let hogWorkflowId: string;
  let invoiceWorkflowId: string;

  beforeAll(async () => {
    // Two threads even on a one-core machine, so ordinary runs have a thread the hog is not on.
    t = testApp(ctx.database, { runTimeoutMs: BUDGET_MS, workerThreads: 2 });
    await t.start();
    const conn = await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/threads',
      webhookSecret: SECRET,
    });
    expect(conn.status).toBe(200);
    hogWorkflowId = ((await (await t.admin('POST', '/workflows', hogWorkflow())).json()) as { id: string }).id;
    invoiceWorkflowId = (
      (await (await t.admin('POST', '/workflows', invoiceWorkflow('threads: invoices'))).json()) as { id: string }
    ).id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const deliverHog = async () => {
    const event = stripeEvent('customer.created', { id: `cus_${delivered}`, object: 'customer' });
    expect((await t.deliver('/threads', JSON.stringify(event), SECRET)).status).toBe(200);
    await t.waitForExecutions(`workflowId=${hogWorkflowId}&eventId=${event.id}`, (xs) => xs[0]?.status === 'running');
    return event.id;
  };
  const deliverInvoice = async () => {
    const event = stripeEvent('invoice.paid', {
      id: `in_threads_${delivered}`,
      object: 'invoice',
      amount_paid: 1200,
      customer: 'cus_threads',
    });
    return { id: event.id, res: await t.deliver('/threads', JSON.stringify(event), SECRET) };
  };

  it('keeps acknowledging webhooks and answering /healthz while a run burns CPU', async () => {
    const hogEvent = await deliverHog();
    const acks = await Promise.all([deliverInvoice(), deliverInvoice(), deliverInvoice()]);
    const health = await t.app.request('/healthz');
    // Read after the answers: the hog was still running, so they did not wait for it.
    const [hog] = await t.waitForExecutions(`workflowId=${hogWorkflowId}&eventId=${hogEvent}`, () => true);

    expect(acks.map((a) => a.res.status)).toEqual([200, 200, 200]);
    expect(health.status).toBe(200);
    expect(hog!.status).toBe('running');
    await t.waitForExecutions(`workflowId=${hogWorkflowId}&eventId=${hogEvent}`, (xs) => xs[0]?.status === 'failed');
  });

  it('stops a run at its budget, fails it at the node it was executing, and never claims it again', async () => {
    const hogEvent = await deliverHog();
    // Ordinary runs delivered while the hog holds a thread, some of them landing on that very thread.
    const ordinary = await Promise.all(Array.from({ length: 6 }, () => deliverInvoice()));
    expect(ordinary.map((o) => o.res.status)).toEqual(Array(6).fill(200));

    const [hog] = await t.waitForExecutions(
      `workflowId=${hogWorkflowId}&eventId=${hogEvent}`,
      (xs) => xs[0]?.status === 'failed',
    );
    expect(hog!.error).toMatch(/^run exceeded its 3 s budget at node burn$/);
    const last = hog!.steps.at(-1)!;
    expect(last).toMatchObject({ nodeId: 'burn', status: 'failed' });
    expect(last.stepKey).toMatch(/^burn\[\d+\]$/);
    // Steps finished before the budget ran out are kept.
    expect(hog!.steps.filter((s) => s.nodeId === 'burn' && s.status === 'succeeded').length).toBeGreaterThan(0);

    for (const o of ordinary) {
      const [run] = await t.waitForExecutions(
        `workflowId=${invoiceWorkflowId}&eventId=${o.id}`,
        (xs) => xs[0]?.status === 'succeeded',
      );
      expect(run!.steps.map((s) => s.attempt)).not.toContain(2);
    }
    const attempts = await ctx.database.queryRelaxed<{ attempt: number; status: string }>(
      `SELECT attempt, status FROM executions WHERE id = $1`,
      [Number(hog!.id)],
    );
    expect(attempts).toEqual([{ attempt: 1, status: 'failed' }]);
    const ordinaryAttempts = await ctx.database.queryRelaxed<{ attempt: number }>(
      `SELECT x.attempt FROM executions x JOIN events e ON e.id = x.event_id WHERE e.stripe_id = ANY($1::text[])`,
      [ordinary.map((o) => o.id)],
    );
    expect(ordinaryAttempts.map((r) => r.attempt)).toEqual(Array(6).fill(1));

    // The engine is free again: a new run on the same app finishes.
    const after = await deliverInvoice();
    await t.waitForExecutions(
      `workflowId=${invoiceWorkflowId}&eventId=${after.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    const again = await ctx.database.queryRelaxed<{ attempt: number; status: string }>(
      `SELECT attempt, status FROM executions WHERE id = $1`,
      [Number(hog!.id)],
    );
    expect(again).toEqual([{ attempt: 1, status: 'failed' }]);
  });
});

describeEachDriver('lease fencing', (ctx) => {
  const LEASE_MS = 4_000;
  let t: ReturnType<typeof testApp>;
  let server: Server;
  let base: string;
  const hits: { path: string; abandonedBefore: boolean }[] = [];
  let holdMs = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push({
        path: req.url ?? '',
        abandonedBefore: t.logLines.some((l) => l.includes('run abandoned')),
      });
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      // The first call is held past the point where the lease may have lapsed (its heartbeats fail meanwhile).
      if (req.url === '/hold') setTimeout(answer, holdMs);
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // One thread, warmed by a first run, so the run under test starts at once after its claim.
    t = testApp(ctx.database, { leaseMs: LEASE_MS, workerThreads: 1 });
    await t.start();
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          webhookEnabled: true,
          webhookPath: '/fencing',
          webhookSecret: SECRET,
        })
      ).status,
    ).toBe(200);
    const warm = (await (
      await t.admin('POST', '/workflows', {
        name: 'warm up',
        nodes: [{ id: 'trigger', type: 'stripe.invoice', config: { actions: [] } }],
        edges: [],
      })
    ).json()) as { id: string };
    const event = stripeEvent('invoice.paid', { id: 'in_warm', object: 'invoice' });
    expect((await t.deliver('/fencing', JSON.stringify(event), SECRET)).status).toBe(200);
    await t.waitForExecutions(`workflowId=${warm.id}&eventId=${event.id}`, (xs) => xs[0]?.status === 'succeeded');
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const realHeartbeat = () => t.services.runtime.queue.heartbeat.bind(t.services.runtime.queue);
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('makes no side effect once heartbeats have failed for nearly a lease, and resumes under a new claim', async () => {
    const queue = t.services.runtime.queue;
    const heartbeat = realHeartbeat();
    queue.heartbeat = async () => {
      throw new Error('database unreachable from this process');
    };
    restore = () => {
      queue.heartbeat = heartbeat;
    };
    // Past the fencing point (3/4 of a lease without confirmation), before the lease lapses in the database.
    holdMs = Math.ceil(LEASE_MS * 0.82);
    const wf = (await (
      await t.admin('POST', '/workflows', {
        name: 'two calls',
        nodes: [
          { id: 'trigger', type: 'stripe.customer', config: { actions: [] } },
          {
            id: 'first',
            type: 'http.request',
            config: { method: 'POST', url: `${base}/hold`, retry: { attempts: 1 } },
          },
          { id: 'effect', type: 'http.request', config: { method: 'POST', url: `${base}/effect` } },
        ],
        edges: [
          { id: 'e1', source: 'trigger', target: 'first' },
          { id: 'e2', source: 'first', target: 'effect' },
        ],
      })
    ).json()) as { id: string };
    const event = stripeEvent('customer.created', { id: 'cus_fencing', object: 'customer' });
    expect((await t.deliver('/fencing', JSON.stringify(event), SECRET)).status).toBe(200);

    const [run] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${event.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    // The first claim refused the call and wrote nothing; the second, fresh claim made it, once.
    expect(t.logLines.some((l) => l.includes('lease may have lapsed'))).toBe(true);
    expect(hits.map((h) => h.path)).toEqual(['/hold', '/effect']);
    expect(hits[1]!.abandonedBefore).toBe(true);
    const [row] = await ctx.database.queryRelaxed<{ attempt: number }>(`SELECT attempt FROM executions WHERE id = $1`, [
      Number(run!.id),
    ]);
    expect(row!.attempt).toBe(2);
    expect(run!.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['trigger', 'succeeded'],
      ['first', 'succeeded'],
      ['effect', 'succeeded'],
    ]);
  });
});

describeEachDriver('runs sharing a thread with a run over budget', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const held: (() => void)[] = [];
  let holding = true;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (req.url === '/hold' && holding) held.push(answer);
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // One thread: the ordinary run and the hog are on it together when the hog's budget runs out.
    t = testApp(ctx.database, { runTimeoutMs: BUDGET_MS, workerThreads: 1 });
    await t.start();
    const conn = await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/shared-thread',
      webhookSecret: SECRET,
    });
    expect(conn.status).toBe(200);
  });
  afterAll(async () => {
    for (const release of held.splice(0)) release();
    await t?.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('resumes the other runs of a terminated thread under the same claim, from the steps they had finished', async () => {
    const hog = (await (await t.admin('POST', '/workflows', hogWorkflow())).json()) as { id: string };
    const calls = (await (
      await t.admin('POST', '/workflows', {
        name: 'waits on a call',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: { actions: [] } },
          { id: 'first', type: 'http.request', config: { method: 'POST', url: `${base}/hold` } },
          { id: 'after', type: 'http.request', config: { method: 'POST', url: `${base}/after` } },
        ],
        edges: [
          { id: 'e1', source: 'trigger', target: 'first' },
          { id: 'e2', source: 'first', target: 'after' },
        ],
      })
    ).json()) as { id: string };

    // The ordinary run is on the thread, awaiting its call, when the hog starts there.
    const waiting = stripeEvent('invoice.paid', { id: 'in_shared_thread', object: 'invoice' });
    expect((await t.deliver('/shared-thread', JSON.stringify(waiting), SECRET)).status).toBe(200);
    while (held.length === 0) await new Promise((r) => setTimeout(r, 20));
    const burning = stripeEvent('customer.created', { id: 'cus_shared_thread', object: 'customer' });
    expect((await t.deliver('/shared-thread', JSON.stringify(burning), SECRET)).status).toBe(200);

    const [stopped] = await t.waitForExecutions(
      `workflowId=${hog.id}&eventId=${burning.id}`,
      (xs) => xs[0]?.status === 'failed',
    );
    expect(stopped!.error).toBe('run exceeded its 3 s budget at node burn');
    // The call in flight when the thread died is answered now; the resumed run makes it again (at least once,
    // as after a crash) and goes on.
    holding = false;
    for (const release of held.splice(0)) release();

    const [run] = await t.waitForExecutions(
      `workflowId=${calls.id}&eventId=${waiting.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(run!.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['trigger', 'succeeded'],
      ['first', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    const [row] = await ctx.database.queryRelaxed<{ attempt: number }>(`SELECT attempt FROM executions WHERE id = $1`, [
      Number(run!.id),
    ]);
    expect(row!.attempt).toBe(1);
    expect(t.logLines.some((l) => l.includes('resuming this run on another thread'))).toBe(true);
    expect(hits.filter((h) => h === '/after')).toEqual(['/after']);
  });
  it('stops a run slow on I/O at its budget alone, keeping the thread its neighbours run on', async () => {
    holding = true;
    const slow = (await (
      await t.admin('POST', '/workflows', {
        name: 'waits too long',
        nodes: [
          { id: 'trigger', type: 'stripe.product', config: { actions: [] } },
          { id: 'wait', type: 'http.request', config: { method: 'POST', url: `${base}/hold`, timeoutMs: 60_000 } },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'wait' }],
      })
    ).json()) as { id: string };
    const resumedBefore = t.logLines.filter((l) => l.includes('resuming this run on another thread')).length;
    const event = stripeEvent('product.created', { id: 'prod_slow', object: 'product' });
    expect((await t.deliver('/shared-thread', JSON.stringify(event), SECRET)).status).toBe(200);
    const [run] = await t.waitForExecutions(
      `workflowId=${slow.id}&eventId=${event.id}`,
      (xs) => xs[0]?.status === 'failed',
    );
    expect(run!.error).toBe('run exceeded its 3 s budget at node wait');
    holding = false;
    for (const release of held.splice(0)) release();
    // Its thread was responsive, so it was not terminated: nothing had to be resumed elsewhere.
    expect(t.logLines.filter((l) => l.includes('resuming this run on another thread')).length).toBe(resumedBefore);
    expect(t.logLines.some((l) => l.includes('run stopped at its budget'))).toBe(true);
  });
});
