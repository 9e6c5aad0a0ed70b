#!/usr/bin/env node
// bench:ingest — Switchyard's webhook ingest against the reference receiver (verify + one INSERT per request),
// both on PostgreSQL, side by side in this process tree. Load runs alternate between the two so that drift of
// the machine hits both alike. Prints one line per run, then a summary and the ratio of median throughputs.
//
//   npm run bench:ingest [-- --count 12000 --concurrency 64 --rounds 3]
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, REFERENCE_RECEIVER, ROOT, runLoad, scratchDatabase, startProcess, waitForHttp } from './support.mjs';

const { values: o } = parseArgs({
  options: {
    count: { type: 'string', default: '12000' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
  },
});
const SECRET = 'whsec_bench_ingest_secret';
const TOKEN = 'bench-admin-token-0123456789abcdef'; // the server wants at least 24 characters
const SY_PORT = 18787,
  REF_PORT = 14242;

const syDb = await scratchDatabase('switchyard');
const refDb = await scratchDatabase('reference');
const switchyard = startProcess('switchyard', [join(ROOT, 'apps/server/dist/main.js')], {
  PORT: String(SY_PORT),
  HOST: '127.0.0.1',
  DATABASE_URL: syDb.url,
  SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
  SWITCHYARD_ADMIN_TOKEN: TOKEN,
  SWITCHYARD_DATA_DIR: join(ROOT, '.switchyard-bench'),
});
const reference = startProcess('reference', [REFERENCE_RECEIVER], {
  PORT: String(REF_PORT),
  DATABASE_URL: refDb.url,
  WEBHOOK_SECRET: SECRET,
});

try {
  await waitForHttp(`http://127.0.0.1:${SY_PORT}/healthz`);
  await waitForHttp(`http://127.0.0.1:${REF_PORT}/`);
  const put = await fetch(`http://127.0.0.1:${SY_PORT}/admin/api/environments/production/stripe`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ webhookEnabled: true, webhookPath: '/stripe/bench', webhookSecret: SECRET }),
  });
  if (put.status !== 200) throw new Error(`configuring the connection failed: ${put.status} ${await put.text()}`);

  const targets = {
    switchyard: `http://127.0.0.1:${SY_PORT}/api/stripe/bench`,
    reference: `http://127.0.0.1:${REF_PORT}/webhook`,
  };
  const results = { switchyard: [], reference: [] };
  // Warm-up: JIT, connection pools, first pages of the indexes.
  for (const [name, url] of Object.entries(targets))
    await runLoad([
      '--url',
      url,
      '--secret',
      SECRET,
      '--count',
      '2000',
      '--concurrency',
      o.concurrency,
      '--prefix',
      `evt_warm_${name}_`,
    ]);
  for (let round = 1; round <= Number(o.rounds); round++) {
    for (const [name, url] of Object.entries(targets)) {
      const r = await runLoad([
        '--url',
        url,
        '--secret',
        SECRET,
        '--count',
        o.count,
        '--concurrency',
        o.concurrency,
        '--prefix',
        `evt_r${round}_${name}_`,
      ]);
      results[name].push(r);
      console.log(JSON.stringify({ round, target: name, ...r }));
    }
  }
  const summary = (rs) => ({
    rps: median(rs.map((r) => r.rps)),
    p99_ms: median(rs.map((r) => r.p99_ms)),
    unexpected: rs.reduce((n, r) => n + Object.values(r.unexpected).reduce((a, b) => a + b, 0), 0),
  });
  const sy = summary(results.switchyard),
    ref = summary(results.reference);
  console.log(`\nswitchyard: ${sy.rps} events/s, p99 ${sy.p99_ms} ms, unexpected statuses ${sy.unexpected}`);
  console.log(`reference:  ${ref.rps} events/s, p99 ${ref.p99_ms} ms, unexpected statuses ${ref.unexpected}`);
  console.log(`ratio (switchyard / reference, median events/s): ${(sy.rps / ref.rps).toFixed(2)}`);
  if (sy.unexpected > 0) process.exitCode = 1;
} finally {
  await switchyard.stop();
  await reference.stop();
  await syDb.drop();
  await refDb.drop();
}
