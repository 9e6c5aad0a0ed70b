import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionJson } from './support/app.js';
import { createScratchDatabase } from './support/databases.js';
import { allExecutions, mapLimit, ServerCluster, type ServerProcess, send } from './support/server-process.js';
import { freshCopy, signatureHeader, stripeEvent } from './support/stripe-events.js';

/**
 * Several built server processes (`dist/main.js`) on one PostgreSQL, as production runs them: any process
 * receives, any works, none double-runs, and a run held by a process that dies is finished by another.
 */
const SECRET = 'whsec_multiprocess_test_secret';
const WEBHOOK_PATH = '/stripe/mp';

describe.skipIf(!process.env.TEST_DATABASE_URL)('multiple server processes on one PostgreSQL', () => {
  let databaseUrl = '';
  let dropDatabase: (() => Promise<void>) | undefined;
  const clusters: ServerCluster[] = [];

  beforeAll(async () => {
    const created = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
    databaseUrl = created.url;
    dropDatabase = created.drop;
  });
  afterAll(async () => {
    await Promise.all(clusters.map((c) => c.closeAll()));
    await dropDatabase?.();
  });

  /** Each test gets its own processes (one master key and admin token), killed when the test ends. */
  const newCluster = () => {
    const cluster = new ServerCluster({ databaseUrl });
    clusters.push(cluster);
    return cluster;
  };

  const connect = async (proc: ServerProcess) => {
    const res = await proc.admin('PUT', '/environments/production/stripe', {
      webhookEnabled: true,
      webhookPath: WEBHOOK_PATH,
      webhookSecret: SECRET,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  const deploy = async (proc: ServerProcess, doc: unknown): Promise<string> => {
    const created = await proc.admin('POST', '/workflows', doc);
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await proc.admin('POST', `/workflows/${id}/publish`, { environment: 'production' });
    expect(published.status, await published.clone().text()).toBe(200);
    return id;
  };

  /** Polls until `done` holds, with the processes' output in the failure message. */
  const waitFor = async <T>(
    what: string,
    read: () => Promise<T>,
    done: (value: T) => boolean,
    procs: ServerProcess[],
    timeoutMs = 20_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) {
        throw new Error(
          `${what} never happened; last seen: ${JSON.stringify(value).slice(0, 2_000)}\n${procs.map((p) => `--- ${p.name}:\n${p.output()}`).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  describe('a process killed mid-run', () => {
    let server: Server;
    let base = '';
    const hits: { path: string; key: string | undefined; body: string }[] = [];
    let onSlow: ((res: ServerResponse) => void) | undefined;
    beforeAll(async () => {
      server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          hits.push({
            path: req.url ?? '',
            key: req.headers['idempotency-key'] as string | undefined,
            body: Buffer.concat(chunks).toString(),
          });
          const count = hits.filter((h) => h.path === req.url).length;
          if (req.url === '/slow' && onSlow) return onSlow(res);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, count }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('is resumed by another process once its lease lapses, without repeating finished steps', {
      timeout: 60_000,
    }, async () => {
      const cluster = newCluster();
      try {
        // Only A runs at first, so A is certainly the process that claims the run and calls /slow.
        const a = await cluster.start('A');
        await connect(a);
        const workflowId = await deploy(a, {
          name: 'grant access (crash test)',
          nodes: [
            { id: 'trigger', type: 'stripe.checkout_session', config: { actions: ['completed'] } },
            {
              id: 'first',
              type: 'http.request',
              config: { method: 'POST', url: `${base}/first`, json: { event: '{{ context.event.id }}' } },
            },
            {
              id: 'slow',
              type: 'http.request',
              config: {
                method: 'POST',
                url: `${base}/slow`,
                json: { first: '{{ context.steps.first.body.count }}' },
                timeoutMs: 10_000,
              },
            },
          ],
          edges: [
            { id: 'e1', source: 'trigger', target: 'first' },
            { id: 'e2', source: 'first', target: 'slow' },
          ],
        });

        // A's /slow call is held open; when it arrives, A is SIGKILLed with the request in flight.
        const slowArrived = new Promise<void>((resolve) => {
          onSlow = () => {
            onSlow = undefined; // B's attempt is answered normally
            resolve();
          };
        });
        const event = freshCopy(stripeEvent('checkout.session.completed'));
        const delivered = await a.deliver(WEBHOOK_PATH, JSON.stringify(event), SECRET);
        expect(delivered.status, await delivered.clone().text()).toBe(200);
        await Promise.race([
          slowArrived,
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error(`/slow never called by A; hits ${JSON.stringify(hits)}\n${a.output()}`)),
              15_000,
            ),
          ),
        ]);
        expect(hits.map((h) => h.path)).toEqual(['/first', '/slow']);
        const killedAt = Date.now();
        await a.crash();

        // B has no part in the delivery: it finds the run only because A's lease lapsed.
        const b = await cluster.start('B');
        const [run] = await waitFor(
          'the run finishing in B',
          () => allExecutions(b, `workflowId=${workflowId}`),
          (xs) => xs.length === 1 && (xs[0]!.status === 'succeeded' || xs[0]!.status === 'failed'),
          [b],
        );
        const resumedAfterMs = Date.now() - killedAt;

        expect(run, JSON.stringify(run)).toMatchObject({ status: 'succeeded', eventId: event.id });
        // Claimed twice: by A, then by B.
        expect((run as ExecutionJson & { attempt: number }).attempt).toBe(2);
        expect(run!.steps.map((s) => [s.nodeId, s.status])).toEqual([
          ['trigger', 'succeeded'],
          ['first', 'succeeded'],
          ['slow', 'succeeded'],
        ]);
        const first = run!.steps.find((s) => s.nodeId === 'first')!;
        // A's recorded result was reused: /first answered count 1 to A and was never called again.
        expect(first.attempt).toBe(1);
        expect(first.output).toMatchObject({ status: 200, body: { path: '/first', count: 1 } });
        expect(hits.filter((h) => h.path === '/first')).toHaveLength(1);

        const slow = hits.filter((h) => h.path === '/slow');
        expect(slow).toHaveLength(2);
        // Both attempts of the side effect carry one idempotency key (scoped to workflow and event) and one body.
        expect(slow[0]!.key).toBeTruthy();
        expect(slow[1]!.key).toBe(slow[0]!.key);
        expect(slow[0]!.key).toContain(event.id);
        expect(slow[1]!.body).toBe(slow[0]!.body);
        expect(run!.steps.find((s) => s.nodeId === 'slow')!.output).toMatchObject({
          status: 200,
          body: { path: '/slow', count: 2 },
        });

        // B finished it (A's counters died with it).
        expect(await b.metric('switchyard_runs_finished_total', { status: 'succeeded' })).toBe(1);
        console.info(`[multiprocess] crash: run resumed by B ${resumedAfterMs} ms after A was killed`);
      } finally {
        await cluster.closeAll();
      }
    });
  });

  it('two processes receiving every event twice run each event exactly once', { timeout: 90_000 }, async () => {
    const EVENTS = 1_000;
    const IN_FLIGHT = 48;
    const cluster = newCluster();
    try {
      const started = Date.now();
      // A longer lease than the crash test: no process dies here, and a busy 2-core machine must not see
      // a live run's lease lapse.
      const procs = await Promise.all([
        cluster.start('P1', { RUN_LEASE_MS: '5000' }),
        cluster.start('P2', { RUN_LEASE_MS: '5000' }),
      ]);
      const [p1, p2] = procs as [ServerProcess, ServerProcess];
      await connect(p1);
      const workflowId = await deploy(p1, {
        name: 'invoices (two processes)',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] } },
          {
            id: 'save',
            type: 'table.upsert',
            config: {
              table: 'mp_invoices',
              key: '{{ context.event.object.id }}',
              values: { event: '{{ context.event.id }}' },
            },
          },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
      });
      // Both processes see the connection made through P1 (an event no workflow matches, so no run).
      for (const p of procs) {
        const warm = await p.deliver(WEBHOOK_PATH, JSON.stringify(freshCopy(stripeEvent('customer.created'))), SECRET);
        expect(warm.status, `${p.name}: ${await warm.clone().text()}`).toBe(200);
      }

      // Distinct objects: runs of one object are serialised by design, which is not what this test measures.
      const base = stripeEvent('invoice.paid');
      const events = Array.from({ length: EVENTS }, (_, i) =>
        freshCopy(base, { data: { ...base.data, object: { ...base.data.object, id: `in_mp_${i}` } } }),
      );
      const bodies = events.map((e) => JSON.stringify(e));
      const headers = await Promise.all(bodies.map((b) => signatureHeader(b, SECRET)));
      // Both copies of an event go out back to back, alternately first to P1 and to P2, so they race.
      const jobs = events.flatMap(
        (_, i) =>
          (i % 2 === 0
            ? [
                [i, p1],
                [i, p2],
              ]
            : [
                [i, p2],
                [i, p1],
              ]) as [number, ServerProcess][],
      );

      const sendStart = Date.now();
      const answers = await mapLimit(jobs, IN_FLIGHT, async ([i, p]) => {
        const res = await send(`${p.url}/api${WEBHOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': headers[i]! },
          body: bodies[i]!,
        });
        const text = await res.text();
        return {
          i,
          proc: p.name,
          status: res.status,
          duplicate: res.status === 200 ? (JSON.parse(text) as { duplicate: boolean }).duplicate : undefined,
          text,
        };
      });
      const sendMs = Date.now() - sendStart;

      const notOk = answers.filter((a) => a.status !== 200);
      expect(notOk.slice(0, 5), `${notOk.length} deliveries not answered 200`).toEqual([]);
      // Each event was stored by exactly one of its two deliveries; the other was told it is a duplicate.
      const stored = answers.filter((a) => !a.duplicate);
      expect(stored).toHaveLength(EVENTS);
      expect(new Set(stored.map((a) => a.i)).size).toBe(EVENTS);

      const finished = (p: ServerProcess) => p.metric('switchyard_runs_finished_total');
      await waitFor(
        'every run finishing',
        async () => ({
          finished: (await Promise.all(procs.map(finished))).reduce((a, b) => a + b, 0),
          unfinished: await p1.metric('switchyard_runs'),
        }),
        (s) => s.finished >= EVENTS && s.unfinished === 0,
        procs,
        45_000,
      );
      const runMs = Date.now() - sendStart;

      const runs = await allExecutions(p2, `workflowId=${workflowId}`);
      expect(runs).toHaveLength(EVENTS);
      const badRuns = runs.filter((r) => r.status !== 'succeeded');
      expect(badRuns.slice(0, 3), `${badRuns.length} runs did not succeed`).toEqual([]);
      const eventIds = runs.map((r) => r.eventId);
      expect(new Set(eventIds).size).toBe(EVENTS);
      expect(new Set(eventIds)).toEqual(new Set(events.map((e) => e.id)));
      for (const r of runs) {
        expect(r.steps.map((s) => [s.nodeId, s.status, s.attempt])).toEqual([
          ['trigger', 'succeeded', 1],
          ['save', 'succeeded', 1],
        ]);
      }
      // No run was executed twice: the finish counters of both processes add up to exactly one per event.
      const perProcess = await Promise.all(
        procs.map((p) => p.metric('switchyard_runs_finished_total', { status: 'succeeded' })),
      );
      expect(perProcess.reduce((a, b) => a + b, 0)).toBe(EVENTS);
      expect(
        await Promise.all(procs.map((p) => p.metric('switchyard_runs_finished_total', { status: 'failed' }))),
      ).toEqual([0, 0]);
      // And both processes did work.
      expect(perProcess[0], `runs finished per process: ${perProcess.join(', ')}`).toBeGreaterThan(0);
      expect(perProcess[1], `runs finished per process: ${perProcess.join(', ')}`).toBeGreaterThan(0);

      const rows = (await (
        await p1.admin('GET', '/environments/production/tables/mp_invoices/rows?limit=1000')
      ).json()) as {
        key: string;
        values: { event: string };
      }[];
      expect(rows).toHaveLength(EVENTS);
      const byKey = new Map(rows.map((r) => [r.key, r.values.event]));
      for (const [i, e] of events.entries()) expect(byKey.get(`in_mp_${i}`)).toBe(e.id);

      console.info(
        `[multiprocess] ${EVENTS} events x 2 processes: delivered in ${sendMs} ms, all runs done ${runMs} ms after the first delivery, ` +
          `runs per process ${perProcess.join('/')}, stored per process ${procs.map((p) => stored.filter((a) => a.proc === p.name).length).join('/')}, total ${Date.now() - started} ms`,
      );
    } finally {
      await cluster.closeAll();
    }
  });
});
