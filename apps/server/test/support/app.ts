import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, createServices } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { signatureHeader } from './stripe-events.js';

export interface ExecutionJson {
  id: string;
  workflowId: string;
  workflowVersion: number;
  environment: string;
  eventId: string;
  status: string;
  origin: string;
  parentId: string | null;
  error: string | null;
  deadLettered: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  steps: {
    nodeId: string;
    stepKey: string;
    status: string;
    output: unknown;
    error: string | null;
    attempt: number;
    input: unknown;
    handles: string[];
  }[];
}

export const ADMIN_TOKEN = 'test-admin-token';
export const PUBLIC_URL = 'https://hooks.example.test';

/** An app over a real database with its log lines captured, driven through app.request() as Hono's own tests do. */
export function testApp(
  database: Database,
  options: {
    now?: () => number;
    smtpUrl?: string;
    stripeApiBase?: string;
    leaseMs?: number;
    masterKey?: Buffer;
    editorDir?: string;
    ingestStoreTimeoutMs?: number;
    trustedProxies?: number;
    runTimeoutMs?: number;
    workerThreads?: number;
    allowPrivateNetwork?: boolean;
  } = {},
) {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const appOptions = {
    database,
    masterKey: randomBytes(32),
    adminToken: ADMIN_TOKEN,
    publicUrl: PUBLIC_URL,
    log: createLogger('debug', sink),
    editorDir: '/nonexistent',
    allowPrivateNetwork: true,
    ...options,
  };
  const services = createServices(appOptions);
  const app = createApp(appOptions, services);

  const admin = (method: string, path: string, body?: unknown) =>
    app.request(`/admin/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const deliver = async (path: string, payload: string, secret: string, timestamp?: number) =>
    app.request(`/api${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': await signatureHeader(payload, secret, timestamp),
      },
      body: payload,
    });

  /** Polls the executions API until `done` holds, each item with its steps; runs finish in the background. */
  const waitForExecutions = async (
    query: string,
    done: (items: ExecutionJson[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<ExecutionJson[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const listed = (await (await admin('GET', `/executions?${query}`)).json()) as { id: string }[];
      // The search carries no step payloads: each hit's detail does.
      const items = await Promise.all(
        listed.map(async (x) => (await (await admin('GET', `/executions/${x.id}`)).json()) as ExecutionJson),
      );
      if (done(items)) return items;
      if (Date.now() > deadline)
        throw new Error(
          `executions never reached the expected state: ${JSON.stringify(items.map((i) => [i.id, i.status, i.error]))}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  return {
    app,
    services,
    admin,
    deliver,
    logLines,
    waitForExecutions,
    start: () => services.runtime.start(),
    stop: () => services.runtime.stop(),
  };
}
