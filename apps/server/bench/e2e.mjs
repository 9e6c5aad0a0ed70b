#!/usr/bin/env node
// bench:e2e — events through the whole product: signed webhook → inbox → run → engine → table.upsert, on
// PostgreSQL. Reports executions/s from the first delivery to the last finished execution and the p99 from
// delivery to finished execution, both read from the database. The reference receiver (verify + one INSERT)
// runs in the same process tree as the baseline the ratio is taken against. A last round runs the same load
// with one hostile run in flight (a loop of CPU-heavy expressions, stopped at its budget) and reports the
// ordinary runs' p99 and the webhook ack p99 beside the clean rounds'.
//
//   npm run bench:e2e [-- --count 12000 --concurrency 64 --rounds 2]
//   BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of the Switchyard process (only) for finding hot spots.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EVENTS_DIR,
  median,
  REFERENCE_RECEIVER,
  ROOT,
  runLoad,
  scratchDatabase,
  startProcess,
  waitForHttp,
} from './support.mjs';

const { values: o } = parseArgs({
  options: {
    count: { type: 'string', default: '12000' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '2' },
    'worker-concurrency': { type: 'string', default: '64' },
    // The hostile run's budget: longer than the round, so the hog is in flight throughout.
    'run-timeout-ms': { type: 'string', default: '15000' },
  },
});
const require = createRequire(join(ROOT, 'apps', 'server', 'package.json'));
const postgres = require('postgres');
const Stripe = require('stripe');
const SECRET = 'whsec_bench_e2e_secret';
const TOKEN = 'bench-admin-token-0123456789abcdef'; // the server wants at least 24 characters
const SY_PORT = 18797,
  REF_PORT = 14252;

// The workflow listens to invoice events, so the load is invoice events only: every delivery is one execution.
const eventsDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-events-'));
for (const f of readdirSync(EVENTS_DIR).filter((f) => f.startsWith('invoice.')))
  cpSync(join(EVENTS_DIR, f), join(eventsDir, f));

const syDb = await scratchDatabase('e2e');
const refDb = await scratchDatabase('e2e_reference');
const profile = process.env.BENCH_PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
const switchyard = startProcess('switchyard', [...profile, join(ROOT, 'apps/server/dist/main.js')], {
  ...(process.env.BENCH_SERVER_LOG ? { BENCH_SERVER_LOG: process.env.BENCH_SERVER_LOG } : {}),
  PORT: String(SY_PORT),
  HOST: '127.0.0.1',
  DATABASE_URL: syDb.url,
  SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
  SWITCHYARD_ADMIN_TOKEN: TOKEN,
  SWITCHYARD_DATA_DIR: join(ROOT, '.switchyard-bench'),
  WORKER_CONCURRENCY: o['worker-concurrency'],
  RUN_TIMEOUT_MS: o['run-timeout-ms'],
  LOG_LEVEL: 'warn',
});
const reference = startProcess('reference', [REFERENCE_RECEIVER], {
  PORT: String(REF_PORT),
  DATABASE_URL: refDb.url,
  WEBHOOK_SECRET: SECRET,
});
const sql = postgres(syDb.url, { max: 1, onnotice: () => {} });

const admin = async (method, path, body) => {
  const res = await fetch(`http://127.0.0.1:${SY_PORT}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

try {
  await waitForHttp(`http://127.0.0.1:${SY_PORT}/healthz`);
  await waitForHttp(`http://127.0.0.1:${REF_PORT}/`);
  await admin('PUT', '/environments/production/stripe', {
    webhookEnabled: true,
    webhookPath: '/stripe/bench',
    webhookSecret: SECRET,
  });
  const wf = await admin('POST', '/workflows', {
    name: 'bench: keep invoices',
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: { actions: [] } },
      {
        id: 'save',
        type: 'table.upsert',
        config: {
          table: 'invoices',
          key: '{{ context.event.object.id }}',
          values: {
            status: '{{ context.event.object.status }}',
            amount_due: '{{ context.event.object.amount_due }}',
            event: '{{ context.event.type }}',
          },
        },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  });
  await admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' });

  const target = `http://127.0.0.1:${SY_PORT}/api/stripe/bench`;
  const load = (url, count, prefix) =>
    runLoad([
      '--url',
      url,
      '--secret',
      SECRET,
      '--count',
      String(count),
      '--concurrency',
      o.concurrency,
      '--events',
      eventsDir,
      '--prefix',
      prefix,
    ]);
  // One round: deliveries, then the wait for this round's last run, then its figures from the database.
  // This round's runs are the ones past the last id before it: found through the primary key, where a match on the
  // event id prefix would scan every stored event each time it polls (seconds, with history; bench:history).
  const measure = async (round, count, prefix, label) => {
    const [{ before }] = await sql`SELECT COALESCE(max(id), 0)::bigint AS before FROM executions`;
    const sent = await load(target, count, prefix);
    for (;;) {
      const [{ n }] = await sql`SELECT count(*)::int AS n FROM executions x
        WHERE x.id > ${before} AND x.status IN ('succeeded', 'failed')`;
      if (n >= count) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const [stats] = await sql`
      SELECT count(*)::int AS runs,
             count(*) FILTER (WHERE x.status = 'failed')::int AS failed,
             EXTRACT(EPOCH FROM max(x.finished_at) - min(e.received_at))::float8 AS seconds,
             (percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM x.finished_at - e.received_at)) * 1000)::float8 AS p99_ms,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM x.finished_at - e.received_at)) * 1000)::float8 AS p50_ms,
             (max(EXTRACT(EPOCH FROM x.finished_at - e.received_at)) * 1000)::float8 AS max_ms,
             count(*) FILTER (WHERE x.attempt > 1)::int AS reclaimed
      FROM executions x JOIN events e ON e.id = x.event_id WHERE x.id > ${before} AND e.stripe_id LIKE ${`${prefix}%`}`;
    const result = {
      round,
      ...label,
      deliveries: sent.sent,
      ingest_rps: sent.rps,
      ack_p99_ms: sent.p99_ms,
      runs: stats.runs,
      failed: stats.failed,
      unexpected: Object.values(sent.unexpected).reduce((a, b) => a + b, 0),
      executions_per_s: Math.round(stats.runs / stats.seconds),
      p50_ms: Math.round(stats.p50_ms),
      p99_ms: Math.round(stats.p99_ms),
      max_ms: Math.round(stats.max_ms),
      reclaimed: stats.reclaimed,
    };
    console.log(JSON.stringify(result));
    return result;
  };

  const rounds = [];
  const refRounds = [];
  for (let round = 0; round <= Number(o.rounds); round++) {
    const warm = round === 0; // the first round warms JIT, pools and caches and is not counted
    const count = warm ? 2000 : Number(o.count);
    const result = await measure(round, count, `evt_e2e_${round}_`, { warmup: warm });
    if (!warm) {
      rounds.push(result);
      const ref = await load(`http://127.0.0.1:${REF_PORT}/webhook`, count, `evt_ref_${round}_`);
      console.log(JSON.stringify({ round, target: 'reference (ingest only)', rps: ref.rps, p99_ms: ref.p99_ms }));
      refRounds.push(ref);
    }
  }

  // The hostile round: one run burning CPU (900 loop items of 40 expressions each, minutes) until its budget.
  const BURN = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, '{{ $sum([1..500].($ * 2)) }}']));
  const hog = await admin('POST', '/workflows', {
    name: 'bench: hostile',
    nodes: [
      { id: 'trigger', type: 'stripe.customer', config: { actions: [] } },
      { id: 'each', type: 'loop', config: { items: '{{ [1..900] }}' } },
      { id: 'burn', type: 'set', config: { values: BURN } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'each' },
      { id: 'e2', source: 'each', sourceHandle: 'each', target: 'burn' },
    ],
  });
  await admin('POST', `/workflows/${hog.id}/publish`, { environment: 'production' });
  const hogEvent = JSON.stringify({
    id: 'evt_hostile_1',
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: 'cus_hostile', object: 'customer' } },
  });
  const signature = new Stripe('sk_test_bench').webhooks.generateTestHeaderString({
    payload: hogEvent,
    secret: SECRET,
  });
  const ack = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: hogEvent,
  });
  if (ack.status !== 200) throw new Error(`hostile event: ${ack.status}`);
  const hogState = async () =>
    (
      await sql`SELECT x.status, x.error FROM executions x JOIN events e ON e.id = x.event_id WHERE e.stripe_id = 'evt_hostile_1'`
    )[0];
  while ((await hogState())?.status !== 'running') await new Promise((r) => setTimeout(r, 50));
  const hostile = await measure(Number(o.rounds) + 1, Number(o.count), 'evt_e2e_hostile_', { hostile: true });
  const hogAtEnd = await hogState();
  console.log(
    JSON.stringify({ hostile_run: hogAtEnd.status, still_in_flight_at_round_end: hogAtEnd.status === 'running' }),
  );
  while ((await hogState()).status === 'running') await new Promise((r) => setTimeout(r, 200));
  console.log(JSON.stringify({ hostile_run: (await hogState()).status, error: (await hogState()).error }));

  const eps = median(rounds.map((r) => r.executions_per_s));
  const refRps = median(refRounds.map((r) => r.rps));
  console.log(
    `\nswitchyard end to end: ${eps} executions/s, p99 delivery → finished execution ${median(rounds.map((r) => r.p99_ms))} ms, failed runs ${rounds.reduce((n, r) => n + r.failed, 0)}, unexpected statuses ${rounds.reduce((n, r) => n + r.unexpected, 0)}`,
  );
  console.log(`reference receiver (ingest only, no execution): ${refRps} events/s`);
  console.log(`ratio (switchyard executions/s / reference ingest events/s): ${(eps / refRps).toFixed(2)}`);
  console.log(
    `clean rounds: p99 delivery → finished ${median(rounds.map((r) => r.p99_ms))} ms, ack p99 ${median(rounds.map((r) => r.ack_p99_ms))} ms; with one hostile run in flight: p99 delivery → finished ${hostile.p99_ms} ms, ack p99 ${hostile.ack_p99_ms} ms, ${hostile.executions_per_s} executions/s`,
  );
  if ([...rounds, hostile].some((r) => r.failed > 0 || r.unexpected > 0)) process.exitCode = 1;
} finally {
  await sql.end();
  await switchyard.stop();
  await reference.stop();
  await syDb.drop();
  await refDb.drop();
}
