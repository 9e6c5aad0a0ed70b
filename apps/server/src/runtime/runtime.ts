import { availableParallelism } from 'node:os';
import type { Ports, WorkflowDocument } from '@switchyard/engine';
import type { ConnectionService } from '../connections/service.js';
import type { Database } from '../db/client.js';
import type { Environment } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { createEmailPort, createHttpPort, createStripePort } from '../ports/index.js';
import type { SecretService } from '../secrets/service.js';
import type { SmtpSettingsService } from '../secrets/smtp.js';
import type { TableService } from '../tables/service.js';
import type { WorkflowService } from '../workflows/service.js';
import { EnginePool } from './engine-pool.js';
import { EXECUTIONS_CHANNEL } from './notify-channel.js';
import { type ClaimedExecution, ExecutionQueue } from './queue.js';
import type { RecentEvents } from './recent-events.js';
import { refetchEventObject } from './refetch.js';
import { Worker } from './worker.js';

export interface RuntimeOptions {
  database: Database;
  workflows: WorkflowService;
  tables: TableService;
  connections: ConnectionService;
  /** Each run's `context.secrets` and `context.vars`. */
  secrets?: SecretService;
  /** Each environment's own SMTP server, before SMTP_URL. */
  smtp?: SmtpSettingsService;
  log: Logger;
  stripeApiBase: string;
  allowPrivateNetwork: boolean;
  allowedAddresses?: readonly string[];
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  concurrency?: number;
  leaseMs?: number;
  /** Engine threads (WORKER_THREADS); default one per core this process may use. */
  threads?: number;
  /** Wall-time budget of one run in ms (RUN_TIMEOUT_MS); past it the run's thread is terminated. */
  runTimeoutMs?: number;
  onFinished?: (status: 'succeeded' | 'failed' | 'retry') => void;
  /** A run failed for good (its retries spent, or its lease lapsed too often): where alerts hook in. */
  onDeadLettered?: (run: ClaimedExecution) => void;
  recentEvents?: RecentEvents;
}

const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_RUN_TIMEOUT_MS = 60_000;

/** The background half of the server: the queue, this process's worker and the ports its runs use. */
export class Runtime {
  readonly queue: ExecutionQueue;
  readonly worker: Worker;
  readonly engine: EnginePool;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly o: RuntimeOptions) {
    this.queue = new ExecutionQueue(o.database, o.recentEvents);
    const versions = new Map<string, Promise<WorkflowDocument>>();
    const http = createHttpPort({
      allowPrivateNetwork: o.allowPrivateNetwork,
      ...(o.allowedAddresses ? { allowedAddresses: o.allowedAddresses } : {}),
    });
    const emailPorts = new Map<Environment, Ports['email']>();
    const emailFor = (env: Environment) => {
      let port = emailPorts.get(env);
      if (!port) {
        port = createEmailPort({
          smtpUrl: o.smtpUrl,
          ...(o.smtpFrom ? { defaultFrom: o.smtpFrom } : {}),
          ...(o.smtp ? { settings: () => o.smtp!.forRun(env) } : {}),
        });
        emailPorts.set(env, port);
      }
      return port;
    };
    const stripe = new Map<Environment, Ports['stripe']>();
    const stripeFor = (env: Environment) => {
      let port = stripe.get(env);
      if (!port) {
        port = createStripePort({ apiBase: o.stripeApiBase, secretKey: () => o.connections.secretKey(env) });
        stripe.set(env, port);
      }
      return port;
    };
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    this.engine = new EnginePool({
      threads: o.threads ?? availableParallelism(),
      concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
      budgetMs: o.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
      log: o.log,
    });

    this.worker = new Worker({
      queue: this.queue,
      engine: this.engine,
      concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
      log: o.log,
      ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
      ...(o.onFinished || o.onDeadLettered
        ? {
            onFinished: (run: ClaimedExecution, status: 'succeeded' | 'failed' | 'retry') => {
              o.onFinished?.(status);
              // The worker says 'failed' only once the queue recorded the failure under this process's lease (its
              // record refused included); the queue sets dead_lettered_at with it, so each is final, reported once.
              if (status === 'failed') o.onDeadLettered?.(run);
            },
          }
        : {}),
      // Versions never change once saved, so a cached document stays right; a failed load is not cached.
      loadVersion: (id, version) => {
        const key = `${id}@${version}`;
        let doc = versions.get(key);
        if (!doc) {
          doc = o.workflows.version(id, version).then((v) => v.document);
          doc.catch(() => versions.delete(key));
          versions.set(key, doc);
        }
        return doc;
      },
      // A trigger with `refetch: true` runs on the object as Stripe has it now, read through the environment's key.
      ...(o.secrets ? { runSecrets: (run: ClaimedExecution) => o.secrets!.forRun(run.environment) } : {}),
      prepareEvent: (run, workflow) => refetchEventObject(run.payload, workflow, stripeFor(run.environment)),
      portsFor: (run: ClaimedExecution): Ports => ({
        tables: o.tables.forEnvironment(run.environment),
        http,
        email: emailFor(run.environment),
        stripe: stripeFor(run.environment),
        log: (entry) =>
          o.log[entry.level](
            {
              executionId: run.id,
              workflowId: run.workflowId,
              nodeId: entry.nodeId,
              eventId: entry.eventId,
              data: entry.data,
            },
            entry.message,
          ),
        now: Date.now,
        sleep,
      }),
    });
  }

  async start(): Promise<void> {
    // Other processes' ingest announces new runs with NOTIFY; this process's own ingest calls wake() directly.
    this.#unlisten = await this.o.database.listen(EXECUTIONS_CHANNEL, () => this.worker.wake());
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.#unlisten?.().catch(() => {});
    await this.worker.stop();
    await this.engine.destroy();
  }
}
