import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionJson } from './app.js';
import { signatureHeader } from './stripe-events.js';

/** The built server: `npm test` builds before vitest runs. */
export const SERVER_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ClusterOptions {
  databaseUrl: string;
  /** The same for every process of a cluster, as production requires with a shared database. */
  masterKey?: string;
  adminToken?: string;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Signs and posts a Stripe event to `/api<path>`. */
  deliver(path: string, payload: string, secret: string): Promise<Response>;
  /** A counter or gauge from `/metrics`, summed over the series matching `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** SIGKILL: no shutdown hook runs, leases stay held until they lapse. */
  crash(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Server processes of one "cluster" sharing a PostgreSQL database, started from the built `dist/main.js`.
 * `closeAll()` kills whatever is still running (call it in afterAll); a process that outlives the test
 * runner's worker is SIGKILLed on its exit too.
 */
export class ServerCluster {
  readonly masterKey: string;
  readonly adminToken: string;
  readonly #live = new Set<ServerProcess>();
  readonly #dirs: string[] = [];
  readonly #onExit = () => {
    for (const p of this.#live) p.child.kill('SIGKILL');
  };

  constructor(private readonly options: ClusterOptions) {
    this.masterKey = options.masterKey ?? randomBytes(32).toString('hex');
    this.adminToken = options.adminToken ?? `mp_${randomBytes(12).toString('hex')}`;
    process.once('exit', this.#onExit);
  }

  async start(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    if (!existsSync(SERVER_MAIN))
      throw new Error(`${SERVER_MAIN} is missing: build the server first (npx turbo run build)`);
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), `switchyard-mp-${name}-`));
    this.#dirs.push(dataDir);
    const child = spawn(process.execPath, [SERVER_MAIN], {
      // The data dir as cwd, so no `.env` of the checkout leaks into the child.
      cwd: dataDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dataDir,
        NODE_ENV: 'test',
        DATABASE_URL: this.options.databaseUrl,
        DATABASE_POOL_SIZE: '10',
        SWITCHYARD_MASTER_KEY: this.masterKey,
        SWITCHYARD_ADMIN_TOKEN: this.adminToken,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SWITCHYARD_DATA_DIR: dataDir,
        ALLOW_PRIVATE_NETWORK_REQUESTS: 'true',
        RUN_LEASE_MS: '1500',
        // These clusters test exactly-once delivery under load, not stalls (ingest-envelope.test.ts does): on an
        // oversubscribed CI machine a commit can take seconds, which the production ingest timeouts answer with 503.
        INGEST_STATEMENT_TIMEOUT_MS: '30000',
        INGEST_LOCK_TIMEOUT_MS: '20000',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    const url = `http://127.0.0.1:${port}`;
    const adminToken = this.adminToken;
    const proc: ServerProcess = {
      name,
      pid: child.pid!,
      url,
      child,
      output: () => lines.join('\n'),
      admin: (method, path, body) =>
        send(`${url}/admin/api${path}`, {
          method,
          headers: {
            authorization: `Bearer ${adminToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      deliver: async (path, payload, secret) =>
        send(`${url}/api${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': await signatureHeader(payload, secret) },
          body: payload,
        }),
      metric: async (metricName, labels = {}) =>
        parseMetric(await (await send(`${url}/metrics`)).text(), metricName, labels),
      crash: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
        this.#live.delete(proc);
      },
      stop: async (graceMs = 5_000) => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        this.#live.delete(proc);
      },
    };
    this.#live.add(proc);
    try {
      await waitForHealth(proc, exited);
    } catch (error) {
      await proc.crash();
      throw error;
    }
    return proc;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#live].map((p) => p.crash()));
    process.removeListener('exit', this.#onExit);
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForHealth(proc: ServerProcess, exited: Promise<void>, timeoutMs = 30_000): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`${proc.name} exited before it was healthy:\n${proc.output()}`);
    try {
      if ((await send(`${proc.url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} not healthy after ${timeoutMs} ms:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * One request on a connection of its own (`Connection: close`). Pooled keep-alive connections race the
 * server's keep-alive timeout on a loaded machine: a request written to a socket the server is closing
 * fails with "other side closed" although the server never saw it, which would make these tests flaky.
 */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method ?? 'GET', headers: { ...init.headers, connection: 'close' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
          const status = res.statusCode ?? 0;
          const empty = status === 204 || status === 205 || status === 304;
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers,
            }),
          );
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A port the OS just handed out, released for the child to bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sums the samples of a Prometheus text exposition whose name and labels match. */
export function parseMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) total += Number(m[3]);
  }
  return total;
}

/** Every execution matching `query`, following X-Next-Cursor pages, each read in full (the search has no steps). */
export async function allExecutions(proc: ServerProcess, query: string): Promise<ExecutionJson[]> {
  const items: { id: string }[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await proc.admin(
      'GET',
      `/executions?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`GET /executions answered ${res.status}: ${await res.text()}`);
    items.push(...((await res.json()) as { id: string }[]));
    cursor = res.headers.get('x-next-cursor');
  } while (cursor);
  return mapLimit(items, 8, async ({ id }) => {
    const res = await proc.admin('GET', `/executions/${id}`);
    if (res.status !== 200) throw new Error(`GET /executions/${id} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ExecutionJson;
  });
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the results in order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}
