#!/usr/bin/env node
// bench:history — the same product on an empty database and on one holding N stored events and finished
// executions, side by side in one run (two servers, one database each, rounds alternating), on PostgreSQL.
//
// The history is seeded in SQL from the real events of packages/engine/fixtures: objects repeat, about 3% of
// runs failed, several workflows and three environments, spread over 30 days, plus one older day (N/10 events,
// at most 100,000) that retention prunes at the end while ingest goes on. Then VACUUM ANALYZE, as a database
// in service would have been. Reported for each database, and as history/empty ratios:
//   - end to end (signed invoice → run → table.upsert, 64 deliveries in flight): executions/s, p99 delivery →
//     finished, webhook ack p99;
//   - the editor's reads, each called repeatedly while nothing else runs (median and p95): the connection
//     page, the events list (first page, a type filter, a rare type, a partial type, a page 1,000 events back),
//     the executions list and searches, an event's detail, a table's rows;
//   - retention: ack p99 of ingest while a day of old events and their executions is pruned, against ingest
//     alone just before on the same database.
//
//   npm run bench:history [-- --history 1000000 --count 6000 --rounds 3 --reads 20]
//   BENCH_EXPLAIN=1 also prints EXPLAIN (ANALYZE, BUFFERS) of the reads' and the queue's statements on the history.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EVENTS_DIR, median, ROOT, runLoad, scratchDatabase, startProcess, waitForHttp } from './support.mjs';

const { values: o } = parseArgs({
  options: {
    history: { type: 'string', default: '100000' },
    count: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    reads: { type: 'string', default: '20' },
    // Keep both databases after the run (their URLs are printed), e.g. to EXPLAIN by hand.
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(o.history);
const OLD_DAY = Math.min(100_000, Math.floor(N / 10));
const require = createRequire(join(ROOT, 'apps', 'server', 'package.json'));
const postgres = require('postgres');
const { parseStripeEvent } = await import(join(ROOT, 'apps/server/dist/ingest/stripe-event.js'));
const { openDatabase } = await import(join(ROOT, 'apps/server/dist/db/client.js'));
const { pruneOnce } = await import(join(ROOT, 'apps/server/dist/operations/retention.js'));
const SECRET = 'whsec_bench_history_secret';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const log = (line) => console.log(typeof line === 'string' ? line : JSON.stringify(line));
const load1 = () => loadavg()[0].toFixed(2);

const invoiceDir = mkdtempSync(join(tmpdir(), 'switchyard-history-events-'));
for (const f of readdirSync(EVENTS_DIR).filter((f) => f.startsWith('invoice.')))
  cpSync(join(EVENTS_DIR, f), join(invoiceDir, f));
const fixtures = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const raw = readFileSync(join(EVENTS_DIR, f), 'utf8');
    const parsed = parseStripeEvent(raw);
    if (!parsed.ok) throw new Error(`${f}: ${parsed.message}`);
    return { raw, event: parsed.event };
  });

async function target(label, port) {
  const db = await scratchDatabase(`history_${label}`);
  const server = startProcess(`switchyard (${label})`, [join(ROOT, 'apps/server/dist/main.js')], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
    SWITCHYARD_ADMIN_TOKEN: TOKEN,
    SWITCHYARD_DATA_DIR: join(ROOT, '.switchyard-bench'),
    LOG_LEVEL: 'warn',
  });
  const base = `http://127.0.0.1:${port}`;
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  const admin = async (method, path, body) => {
    const res = await fetch(`${base}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${label} ${method} ${path}: ${res.status} ${await res.text()}`);
    return { body: res.status === 204 ? null : await res.json(), headers: res.headers };
  };
  return { label, db, server, base, sql, admin, webhook: `${base}/api/stripe/history`, rounds: [] };
}

/** The same account on both: a connection, the invoice workflow the load runs, and one workflow per other family. */
async function setUp(t) {
  await waitForHttp(`${t.base}/healthz`);
  for (const environment of ['production', 'staging'])
    await t.admin('PUT', `/environments/${environment}/stripe`, {
      webhookEnabled: true,
      webhookPath: environment === 'production' ? '/stripe/history' : '/stripe/history-staging',
      webhookSecret: SECRET,
    });
  const invoice = await t.admin('POST', '/workflows', {
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
  const byFamily = { 'stripe.invoice': invoice.body.id };
  for (const family of new Set(fixtures.map((f) => f.event.family).filter((f) => f && f !== 'stripe.invoice'))) {
    const wf = await t.admin('POST', '/workflows', {
      name: `bench: ${family}`,
      nodes: [
        { id: 'trigger', type: family, config: { actions: [] } },
        { id: 'note', type: 'set', config: { values: { object: '{{ context.event.object.id }}' } } },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'note' }],
    });
    byFamily[family] = wf.body.id;
  }
  // Only the invoice workflow runs in production during the load; the others hold history and run in staging.
  await t.admin('POST', `/workflows/${invoice.body.id}/publish`, { environment: 'production' });
  for (const id of Object.values(byFamily))
    await t.admin('POST', `/workflows/${id}/publish`, { environment: 'staging' });
  t.invoiceWorkflow = invoice.body.id;
  t.byFamily = byFamily;
}

/** N events and their finished runs, in chunks (each its own transaction), ids following arrival as at ingest. */
async function seed(t, steps) {
  const { sql } = t;
  const started = performance.now();
  await sql`CREATE TABLE bench_fixtures (k int PRIMARY KEY, type text, action text, family text, object_prefix text, api_version text, payload jsonb)`;
  for (const [k, f] of fixtures.entries())
    await sql`INSERT INTO bench_fixtures VALUES (${k}, ${f.event.type}, ${f.event.action}, ${f.event.family},
      ${(f.event.objectId ?? 'obj').split('_')[0]}, ${f.event.apiVersion}, ${f.raw}::text::jsonb)`;
  await sql`CREATE TABLE bench_workflows (family text PRIMARY KEY, workflow_id text)`;
  for (const [family, id] of Object.entries(t.byFamily))
    await sql`INSERT INTO bench_workflows VALUES (${family}, ${id})`;
  const failedSteps = steps.map((s, i) =>
    i === steps.length - 1
      ? { ...s, status: 'failed', output: undefined, error: { name: 'HttpError', message: 'upstream answered 503' } }
      : s,
  );
  const CHUNK = 100_000;
  for (let from = 1; from <= N; from += CHUNK) {
    const to = Math.min(N, from + CHUNK - 1);
    // One older day (pruned at the end), then the rest evenly over the last 30 days up to ten minutes ago.
    const [{ before }] = await sql`SELECT COALESCE(max(id), 0)::bigint AS before FROM events`;
    await sql`
      INSERT INTO events (environment, stripe_id, type, action, family, object_id, created, livemode, api_version, payload, received_at)
      SELECT s.env, s.sid, f.type, f.action, f.family, s2.obj, extract(epoch FROM s.at)::bigint, false, f.api_version,
        jsonb_set(jsonb_set(jsonb_set(f.payload, '{id}', to_jsonb(s.sid)), '{created}', to_jsonb(extract(epoch FROM s.at)::bigint)),
          '{data,object,id}', to_jsonb(s2.obj)),
        s.at
      FROM (
        SELECT i, 'evt_hist_' || i AS sid,
          CASE WHEN i % 10 < 7 THEN 'production' WHEN i % 10 < 9 THEN 'staging' ELSE 'editor' END AS env,
          i % ${fixtures.length} AS k,
          CASE WHEN i <= ${OLD_DAY}
            THEN now() - interval '31 days' + (i::float8 / ${Math.max(1, OLD_DAY)}) * interval '23 hours'
            ELSE now() - interval '30 days' + interval '1 hour'
              + ((i - ${OLD_DAY})::float8 / ${Math.max(1, N - OLD_DAY)}) * (interval '30 days' - interval '70 minutes') END AS at,
          -- Objects repeat: 20,000 of each kind, each seen again and again over the month.
          (i / ${fixtures.length}) % 20000 AS obj_n
        FROM generate_series(${from}::int, ${to}::int) i
      ) s JOIN bench_fixtures f ON f.k = s.k,
      LATERAL (SELECT f.object_prefix || '_hist' || s.obj_n AS obj) s2
      ORDER BY s.i`;
    // Every event but one in twenty ran its family's workflow; one run in thirty failed.
    await sql`
      INSERT INTO executions (environment, workflow_id, workflow_version, event_id, event_created, object_id, event_type, origin, status,
        attempt, run_at, steps, error, error_node_id, dead_lettered_at, retried_at, created_at, started_at, finished_at)
      SELECT e.environment, w.workflow_id, 1, e.id, e.created, e.object_id, e.type, 'event',
        CASE WHEN e.id % 30 = 7 THEN 'failed' ELSE 'succeeded' END, 1, e.received_at,
        CASE WHEN e.id % 30 = 7 THEN ${JSON.stringify(failedSteps)}::text::jsonb ELSE ${JSON.stringify(steps)}::text::jsonb END,
        CASE WHEN e.id % 30 = 7 THEN '{"name":"HttpError","message":"upstream answered 503"}'::jsonb END,
        CASE WHEN e.id % 30 = 7 THEN ${steps.at(-1).nodeId} END,
        CASE WHEN e.id % 30 = 7 THEN e.received_at + interval '1 second' END,
        -- Half the failures were retried by hand since: they have left the dead-letter view.
        CASE WHEN e.id % 60 = 7 THEN e.received_at + interval '1 hour' END,
        e.received_at, e.received_at + interval '5 milliseconds', e.received_at + interval '40 milliseconds'
      FROM events e JOIN bench_workflows w ON w.family = e.family
      WHERE e.id > ${before} AND e.id % 20 <> 0
      ORDER BY e.id`;
    log({ seeding: t.label, events: to, seconds: Math.round((performance.now() - started) / 1000), load1: load1() });
  }
  // A table that has been written for a month: one row per invoice object.
  await sql`INSERT INTO data_tables (environment, name) VALUES ('production', 'invoices') ON CONFLICT DO NOTHING`;
  await sql`
    INSERT INTO data_rows (environment, table_name, key, values, event_created, event_id)
    SELECT 'production', 'invoices', 'in_hist' || i, jsonb_build_object('status', 'paid', 'amount_due', i * 100, 'event', 'invoice.paid'),
      extract(epoch FROM now())::bigint, 'evt_hist_' || i
    FROM generate_series(0, 19999) i ON CONFLICT DO NOTHING`;
  await sql`DROP TABLE bench_fixtures`;
  await sql`DROP TABLE bench_workflows`;
  await sql.unsafe('VACUUM ANALYZE');
  // The seed's dirty pages written now, not by the checkpointer in the middle of a measured round.
  await sql.unsafe('CHECKPOINT');
  const [size] = await sql`SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
    (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM executions)::int AS executions`;
  log({ seeded: t.label, ...size, seconds: Math.round((performance.now() - started) / 1000) });
}

async function idle(t) {
  for (;;) {
    const [{ n }] = await t.sql`SELECT count(*)::int AS n FROM executions WHERE status IN ('pending', 'running')`;
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One round of deliveries; its runs are found by id (past the last one before the round), never by a scan. */
async function round(t, count, prefix) {
  const [{ before }] = await t.sql`SELECT COALESCE(max(id), 0)::bigint AS before FROM executions`;
  const sent = await runLoad([
    ...['--url', t.webhook, '--secret', SECRET, '--count', String(count), '--concurrency', o.concurrency],
    ...['--events', invoiceDir, '--prefix', prefix],
  ]);
  for (;;) {
    const [{ n }] =
      await t.sql`SELECT count(*)::int AS n FROM executions WHERE id > ${before} AND status IN ('succeeded', 'failed')`;
    if (n >= count) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const [s] = await t.sql`
    SELECT count(*)::int AS runs, count(*) FILTER (WHERE x.status = 'failed')::int AS failed,
      EXTRACT(EPOCH FROM max(x.finished_at) - min(e.received_at))::float8 AS seconds,
      (percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM x.finished_at - e.received_at)) * 1000)::float8 AS p99_ms,
      count(*) FILTER (WHERE x.attempt > 1)::int AS reclaimed
    FROM executions x JOIN events e ON e.id = x.event_id WHERE x.id > ${before}`;
  return {
    target: t.label,
    executions_per_s: Math.round(s.runs / s.seconds),
    p99_ms: Math.round(s.p99_ms),
    ack_p99_ms: sent.p99_ms,
    ingest_rps: sent.rps,
    failed: s.failed,
    reclaimed: s.reclaimed,
    unexpected: Object.values(sent.unexpected).reduce((a, b) => a + b, 0),
    load1: load1(),
  };
}

/** The editor's reads, in the order a user meets them. Paths are resolved once per target (ids differ). */
async function readPaths(t) {
  const first = await t.admin('GET', '/environments/production/events?limit=50');
  let cursor = first.headers.get('x-next-cursor');
  for (let page = 1; page < 20 && cursor; page++)
    cursor = (await t.admin('GET', `/environments/production/events?limit=50&cursor=${cursor}`)).headers.get(
      'x-next-cursor',
    );
  const recent = first.body[0].id;
  const failed = (await t.admin('GET', '/executions?limit=1&status=failed')).body[0];
  return {
    connection: '/environments/production/stripe',
    'events: first page': '/environments/production/events?limit=50',
    'events: type invoice.paid': '/environments/production/events?limit=50&type=invoice.paid',
    'events: rare type': '/environments/production/events?limit=50&type=customer.subscription.paused',
    'events: partial type invoice': '/environments/production/events?limit=50&type=invoice',
    'events: 1,000 back (cursor)': `/environments/production/events?limit=50&cursor=${cursor}`,
    'event detail': `/environments/production/events/${recent}`,
    'executions: first page': '/executions?limit=50',
    'executions: workflow + production': `/executions?limit=50&environment=production&workflowId=${t.invoiceWorkflow}`,
    'executions: failed': '/executions?limit=50&status=failed',
    'executions: by event': `/executions?limit=50&eventId=${failed?.eventId ?? recent}`,
    'executions: type + production': '/executions?limit=50&environment=production&type=invoice.paid',
    'executions: by object': `/executions?limit=50&objectId=${failed?.objectId ?? 'in_hist1'}`,
    'executions: dead letter': '/executions?limit=50&environment=production&deadLetter=true',
    'execution detail': `/executions/${failed?.id ?? '1'}`,
    'table rows': '/environments/production/tables/invoices/rows?limit=100',
    'table search': '/environments/production/tables/invoices/rows?limit=100&q=in_hist1999',
  };
}

async function timeReads(t, paths) {
  const out = {};
  for (const [name, path] of Object.entries(paths)) {
    const ms = [];
    // A read that takes seconds is called at least three times, then only while it has taken under 10 s.
    const t1 = performance.now();
    for (let i = 0; i < Number(o.reads) && (i < 3 || performance.now() - t1 < 10_000); i++) {
      const t0 = performance.now();
      await t.admin('GET', path);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    out[name] = { median: +median(ms).toFixed(1), p95: +ms[Math.floor(ms.length * 0.95)].toFixed(1) };
  }
  return out;
}

async function explain(t) {
  const e = (text, params = []) => t.sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
  const show = async (name, text, params) => {
    const rows = await e(text, params);
    log(`\n-- ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  };
  await show(
    'queue probe (claim candidates)',
    `SELECT e.id FROM executions e WHERE e.status = 'pending' AND e.run_at <= now() AND NOT EXISTS (
       SELECT 1 FROM executions p WHERE p.workflow_id = e.workflow_id AND p.object_id = e.object_id AND p.status IN ('pending', 'running')
       AND (p.event_created < e.event_created OR (p.event_created = e.event_created AND p.id < e.id)) OFFSET 0)
     ORDER BY e.run_at, e.id LIMIT 64`,
  );
  await show(
    'executions by event id',
    `SELECT x.id FROM executions x JOIN events e ON e.id = x.event_id WHERE e.stripe_id = 'evt_hist_1007' ORDER BY x.id DESC LIMIT 51`,
  );
  const stats =
    await t.sql`SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname IN ('events', 'executions')`;
  log({ hot_updates: stats });
  const toast =
    await t.sql`SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) AS heap, pg_size_pretty(pg_relation_size(c.reltoastrelid)) AS toast,
      pg_size_pretty(pg_indexes_size(c.oid)) AS indexes FROM pg_class c WHERE c.relname IN ('events', 'executions')`;
  log({ sizes: toast });
}

const empty = await target('empty', 18810);
const history = await target('history', 18811);
const targets = [empty, history];
try {
  await Promise.all(targets.map(setUp));
  // A real run's step log is what the seeded runs carry.
  await round(empty, 2000, 'evt_warm_empty_');
  const [{ steps }] = await empty.sql`SELECT steps FROM executions WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`;
  await seed(history, steps);
  await round(history, 2000, 'evt_warm_history_');

  const results = { empty: [], history: [] };
  // Rounds alternate, and the order flips each round (empty, history; history, empty; …): the machine's load drifts.
  for (let r = 1; r <= Number(o.rounds); r++)
    for (const t of r % 2 ? targets : [...targets].reverse()) {
      const result = await round(t, Number(o.count), `evt_round_${r}_${t.label}_`);
      log({ round: r, ...result });
      results[t.label].push(result);
    }

  await Promise.all(targets.map(idle));
  // As autovacuum would have by now: without statistics the planner takes a table grown from empty to be tiny.
  for (const t of targets) await t.sql.unsafe('ANALYZE');
  const reads = {};
  for (const t of targets) reads[t.label] = await timeReads(t, await readPaths(t));
  // Reads again, alternating the other way round, and the better of the two medians kept per target.
  for (const t of [...targets].reverse()) {
    const again = await timeReads(t, await readPaths(t));
    for (const [name, v] of Object.entries(again)) if (v.median < reads[t.label][name].median) reads[t.label][name] = v;
  }
  if (process.env.BENCH_EXPLAIN) await explain(history);

  // Retention: ingest alone, then the same ingest while a day of old events (and their runs) is pruned.
  const chunk = Math.max(1000, Math.floor(Number(o.count) / 2));
  const alone = [];
  for (let i = 0; i < 3; i++) alone.push(await round(history, chunk, `evt_ret_alone_${i}_`));
  const database = await openDatabase({ driver: 'postgres', url: history.db.url, poolSize: 2 });
  const pruneStart = performance.now();
  let pruned;
  const pruning = pruneOnce(database, { days: 30 }).then((r) => {
    pruned = { ...r, seconds: +((performance.now() - pruneStart) / 1000).toFixed(1) };
  });
  const during = [];
  while (!pruned) during.push(await round(history, chunk, `evt_ret_prune_${during.length}_`));
  await pruning;
  await database.close();

  const summary = (rs) => ({
    executions_per_s: median(rs.map((r) => r.executions_per_s)),
    p99_ms: median(rs.map((r) => r.p99_ms)),
    ack_p99_ms: median(rs.map((r) => r.ack_p99_ms)),
  });
  const e = summary(results.empty);
  const h = summary(results.history);
  const ratio = (a, b) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
  log(`\nhistory: ${N.toLocaleString('en')} seeded events (load average now ${load1()})`);
  log('                                       empty        history      history/empty');
  const row = (name, a, b, unit) =>
    log(`${name.padEnd(38)} ${`${a} ${unit}`.padEnd(12)} ${`${b} ${unit}`.padEnd(12)} ${ratio(b, a)}`);
  row('e2e executions/s', e.executions_per_s, h.executions_per_s, '');
  row('e2e p99 delivery → finished', e.p99_ms, h.p99_ms, 'ms');
  row('ack p99', e.ack_p99_ms, h.ack_p99_ms, 'ms');
  for (const name of Object.keys(reads.empty))
    log(
      `${name.padEnd(38)} ${`${reads.empty[name].median}/${reads.empty[name].p95} ms`.padEnd(12)} ${`${reads.history[name].median}/${reads.history[name].p95} ms`.padEnd(12)} ${ratio(reads.history[name].median, reads.empty[name].median)}`,
    );
  log('(reads: median/p95 of repeated calls)');
  const aloneP99 = median(alone.map((r) => r.ack_p99_ms));
  const duringP99 = median(during.map((r) => r.ack_p99_ms));
  log(
    `retention: pruned ${pruned.events.toLocaleString('en')} events (with their executions) in ${pruned.seconds} s; ingest ack p99 ${aloneP99} ms alone, ${duringP99} ms while pruning (median of ${during.length} rounds of ${chunk}; max ${Math.max(...during.map((r) => r.ack_p99_ms))} ms): ${ratio(duringP99, aloneP99)}`,
  );
  const failures = [...results.empty, ...results.history, ...alone, ...during].filter(
    (r) => r.failed > 0 || r.unexpected > 0,
  );
  if (failures.length > 0) {
    log({ failures });
    process.exitCode = 1;
  }
} finally {
  for (const t of targets) {
    await t.sql.end();
    await t.server.stop();
    if (o.keep) log({ kept: t.label, url: t.db.url });
    else await t.db.drop();
  }
}
