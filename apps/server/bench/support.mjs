// Plumbing for the benchmarks: scratch databases, child servers, waiting for health, the load generator.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The real Stripe events the load is made of (packages/engine/fixtures/README.md says where they come from). */
export const EVENTS_DIR = join(ROOT, 'packages', 'engine', 'fixtures', 'stripe-events');
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(ROOT, 'apps', 'server', 'package.json'));
const postgres = require('postgres');

export const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function scratchDatabase(label) {
  const name = `switchyard_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const sql = postgres(BASE_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await sql.end();
    },
  };
}

export function startProcess(label, args, env, { quiet = true } = {}) {
  // BENCH_SERVER_LOG=file keeps the child's stdout (its logs) for a look after the run.
  const out = env.BENCH_SERVER_LOG ? openSync(env.BENCH_SERVER_LOG, 'w') : quiet ? 'ignore' : 'inherit';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.on('exit', (code, signal) => {
    if (code && !child.stopping) console.error(`${label} exited with ${code ?? signal}: ${stderr.slice(-2000)}`);
  });
  child.stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.stopping = true;
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return child;
}

export async function waitForHttp(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { method: 'GET' });
      if (res.status < 500) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`no answer from ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function runLoad(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, 'load.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`load.mjs exited ${code}`)),
    );
  });
}

/** The reference receiver (verify + one INSERT per request) that every benchmark compares against. */
export const REFERENCE_RECEIVER = join(BENCH_DIR, 'reference-receiver.mjs');

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
