#!/usr/bin/env node
// Load generator for a Stripe webhook receiver. It turns the real events of packages/engine/fixtures into unique
// deliveries (fresh event id, fresh object id, current `created`), signs each as Stripe does and posts them over
// keep-alive connections at a fixed concurrency. Prints one JSON line: counts, unexpected statuses, throughput and
// latency percentiles.
//
//   node apps/server/bench/load.mjs --url http://127.0.0.1:8787/api/stripe/bench --secret whsec_... \
//     [--count 20000] [--concurrency 64] [--events DIR] [--duplicates 0] [--bad 0] [--prefix evt_load_]
//
// --duplicates: share of requests that resend an earlier event (the receiver must answer 200 and store it once)
// --bad: share of requests signed with a wrong secret (the receiver must answer 400 and store nothing)
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EVENTS_DIR } from './support.mjs';

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    count: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    events: { type: 'string', default: EVENTS_DIR },
    duplicates: { type: 'string', default: '0' },
    bad: { type: 'string', default: '0' },
    prefix: { type: 'string', default: `evt_load_${process.pid}_` },
  },
});
if (!o.url || !o.secret) {
  console.error('usage: load.mjs --url URL --secret whsec_... [--count N] [--concurrency C] [--events DIR]');
  process.exit(2);
}
const target = new URL(o.url);
const count = Number(o.count);
const concurrency = Number(o.concurrency);
const duplicateShare = Number(o.duplicates);
const badShare = Number(o.bad);

const templates = readdirSync(o.events)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(o.events, f), 'utf8')));
if (templates.length === 0) throw new Error(`no events in ${o.events}`);

/** A Stripe-Signature header: `t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">`. */
function sign(body, secret) {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Event i of the run: each delivery is its own event about its own object, as in real traffic. */
function delivery(i) {
  const template = templates[i % templates.length];
  const object = template.data.object;
  const id = `${o.prefix}${i}`;
  const event = {
    ...template,
    id,
    created: Math.floor(Date.now() / 1000),
    data: { ...template.data, object: { ...object, id: `${object.id}_${id}` } },
  };
  return JSON.stringify(event);
}

// Bodies are built before the clock starts, so the generator's time goes to sending. Signatures are made then
// too; the run is far shorter than the receivers' 300 s tolerance.
const requests = [];
const accepted = []; // bodies a duplicate may resend
const tally = { unique: 0, duplicates: 0, bad: 0 };
for (let i = 0; i < count; i++) {
  const roll = Math.random();
  if (roll < duplicateShare && accepted.length > 0) {
    const body = accepted[Math.floor(Math.random() * accepted.length)];
    requests.push({ body, header: sign(body, o.secret), expect: 200 });
    tally.duplicates++;
  } else if (roll > 1 - badShare) {
    const body = delivery(i);
    requests.push({ body, header: sign(body, 'whsec_not_the_secret'), expect: 400 });
    tally.bad++;
  } else {
    const body = delivery(i);
    requests.push({ body, header: sign(body, o.secret), expect: 200 });
    accepted.push(body);
    tally.unique++;
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post({ body, header }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': header,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

const latencies = [];
const unexpected = {};
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const { status, ms } = await post(r);
      latencies.push(ms);
      if (status !== r.expect) {
        const key = `${r.expect}->${status}`;
        unexpected[key] = (unexpected[key] ?? 0) + 1;
      }
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
agent.destroy();

latencies.sort((a, b) => a - b);
const percentile = (q) =>
  Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1));
console.log(
  JSON.stringify({
    sent: count,
    unique_ok: tally.unique,
    duplicates: tally.duplicates,
    bad: tally.bad,
    unexpected,
    rps: Math.round(count / seconds),
    p50_ms: percentile(0.5),
    p99_ms: percentile(0.99),
    max_ms: percentile(1),
  }),
);
