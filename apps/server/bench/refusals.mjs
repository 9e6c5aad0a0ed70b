// Does recording refused deliveries cost good deliveries anything? In one process (app.request, no sockets):
// good deliveries alone, then good deliveries with a flood of forged ones beside them, with the recorder on and
// with it switched off, alternating so warm-up and load elsewhere on the machine fall on both. `node apps/server/bench/refusals.mjs [--count 3000] [--postgres]` after a build.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { EVENTS_DIR, ROOT, scratchDatabase } from './support.mjs';

const require = createRequire(join(ROOT, 'apps', 'server', 'package.json'));
const Stripe = require('stripe');
const { createApp, createServices } = await import('../dist/app.js');
const { openDatabase } = await import('../dist/db/client.js');
const { createLogger } = await import('../dist/logger.js');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const COUNT = Number(arg('count', 3000));
const IN_FLIGHT = 32;
const SECRET = 'whsec_bench_refusals';
const usePostgres = process.argv.includes('--postgres');

const scratch = usePostgres ? await scratchDatabase('refusals') : undefined;
const database = await openDatabase(scratch ? { driver: 'postgres', url: scratch.url } : { driver: 'pglite' });
const options = {
  database,
  masterKey: randomBytes(32),
  adminToken: 'bench-admin-token-000000000000',
  publicUrl: 'https://bench.example',
  log: createLogger('silent'),
  editorDir: '/nonexistent',
};
const services = createServices(options);
const app = createApp(options, services);
await app.request('/admin/api/environments/production/stripe', {
  method: 'PUT',
  headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ webhookEnabled: true, webhookPath: '/bench', webhookSecret: SECRET }),
});

const stripe = new Stripe('sk_test_bench');
const template = JSON.parse(readFileSync(join(EVENTS_DIR, 'invoice.paid.json'), 'utf8'));
let n = 0;
async function delivery(secret) {
  const payload = JSON.stringify({ ...template, id: `evt_bench_${process.pid}_${++n}` });
  const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
  return { payload, header };
}
async function prepare(count, secret) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(await delivery(secret));
  return out;
}

async function drive(deliveries, expected) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++];
        const t0 = performance.now();
        const res = await app.request('/api/bench', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': d.header },
          body: d.payload,
        });
        await res.arrayBuffer();
        if (res.status !== expected) throw new Error(`answered ${res.status}, expected ${expected}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: Math.round(deliveries.length / seconds), p99: latencies[Math.floor(latencies.length * 0.99)] };
}

const fmt = (r) => `${r.perSecond}/s, p99 ${r.p99.toFixed(1)} ms`;
const record = services.refusals.record.bind(services.refusals);
const rounds = [];
for (const [label, recorder] of [
  ['warm-up', true],
  ['good alone', true],
  ['good + forged flood, recorder off', false],
  ['good + forged flood, recorder on', true],
  ['good + forged flood, recorder off', false],
  ['good + forged flood, recorder on', true],
]) {
  services.refusals.record = recorder ? record : () => {};
  const good = await prepare(COUNT, SECRET);
  const forged = label.includes('flood') ? await prepare(COUNT, 'whsec_forged') : [];
  const [g, f] = await Promise.all([drive(good, 200), forged.length ? drive(forged, 400) : undefined]);
  await services.refusals.flush();
  rounds.push(`${label}: good ${fmt(g)}${f ? `; forged ${fmt(f)}` : ''}`);
}
const kept = await database.query("SELECT count(*) AS n FROM delivery_refusals WHERE environment = 'production'", []);
console.log(`${database.driver}, ${COUNT} deliveries per stream, ${IN_FLIGHT} in flight each`);
for (const line of rounds.slice(1)) console.log(line);
console.log(`refusal rows kept: ${kept[0].n}`);
await database.close();
await scratch?.drop();
