import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  defaultRegistry,
  describeError,
  isTriggerType,
  NonRetriableError,
  type Ports,
  RetryableError,
  runWorkflow,
  type StepRecord,
  type WorkflowDocument,
} from '@switchyard/engine';
import type { Logger } from '../logger.js';
import type { ClaimedRun, RunQueue } from './queue.js';

export interface WorkerOptions {
  queue: RunQueue;
  /** The immutable document of a workflow version; cached by the caller. */
  loadVersion(workflowId: string, version: number): Promise<WorkflowDocument>;
  portsFor(run: ClaimedRun): Ports;
  log: Logger;
  /** Runs executing at once in this process. */
  concurrency?: number;
  leaseMs?: number;
  /** Fallback poll for scheduled retries and lapsed leases; new work wakes the worker at once. */
  pollMs?: number;
  /** Claims of one run before it is dead-lettered, e.g. when it keeps killing its process. */
  maxClaims?: number;
  onFinished?: (run: ClaimedRun, status: 'succeeded' | 'failed' | 'retry') => void;
  /** The event the engine gets, e.g. with `data.object` refetched from Stripe; default the stored payload. */
  prepareEvent?: (run: ClaimedRun, workflow: WorkflowDocument) => Promise<unknown>;
}


export class Worker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #o: Required<Omit<WorkerOptions, 'onFinished' | 'prepareEvent'>> &
    Pick<WorkerOptions, 'onFinished' | 'prepareEvent'>;
  readonly #active = new Map<number, Promise<void>>();
  /** Runs whose outcome is being recorded right now. */
  readonly #finishing = new Set<number>();
  /** Runs whose lease another process now holds: they must stop causing side effects. */
  readonly #lost = new Set<number>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wakeRequested = false;
  #wakeResolve: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: WorkerOptions) {
    this.#o = { concurrency: 16, leaseMs: 10_000, pollMs: 1_000, maxClaims: 10, ...options };
    this.#claimBatch = Math.max(1, Math.floor(this.#o.concurrency / 4));
  }

  readonly #claimBatch: number;

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#heartbeat = setInterval(
      () => {
        this.#o.queue
          .heartbeat(this.owner, [...this.#active.keys()], this.#o.leaseMs)
          // A run being finished may already be recorded as done; that is not a lost lease.
          .then((lost) => lost.filter((id) => !this.#finishing.has(id)).forEach((id) => this.#leaseLost(id)))
          .catch((error: unknown) => this.#o.log.warn({ err: describeError(error) }, 'lease heartbeat failed'));
      },
      Math.max(100, Math.floor(this.#o.leaseMs / 3)),
    );
    this.#heartbeat.unref();
    this.#loop = this.#run();
  }

  /** New runs were committed: claim now instead of at the next poll. */
  wake(): void {
    this.#wakeRequested = true;
    this.#wakeResolve?.();
  }

  /** Stops claiming and waits for the runs in hand. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await Promise.allSettled(this.#active.values());
    clearInterval(this.#heartbeat);
  }

  get activeRuns(): number {
    return this.#active.size;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#wakeRequested = false;
      await this.#reapNowAndThen();
      const free = this.#o.concurrency - this.#active.size;
      let claimed: ClaimedRun[] = [];
      // Claim in batches: a claim per finished run would make claiming, not running, the limit.
      if (free > 0 && (free >= this.#claimBatch || this.#active.size === 0)) {
        try {
          claimed = await this.#o.queue.claim(this.owner, free, this.#o.leaseMs);
        } catch (error) {
          this.#o.log.error({ err: describeError(error) }, 'claiming runs failed');
        }
        for (const run of claimed) {
          const done = this.#execute(run).finally(() => {
            this.#active.delete(run.id);
            this.#finishing.delete(run.id);
            this.#lost.delete(run.id);
            this.wake(); // a slot is free, and a later run of the same object may now be claimable
          });
          this.#active.set(run.id, done);
        }
      }
      if (!this.#running) break;
      // A full claim means more may be waiting; otherwise sleep until woken or the poll interval passes.
      if (claimed.length > 0 && claimed.length === free) continue;
      if (this.#wakeRequested) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.pollMs);
        this.#wakeResolve = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeResolve = undefined;
    }
  }

  async #execute(run: ClaimedRun): Promise<void> {
    const { queue, log } = this.#o;
    const steps = new Map<string, StepRecord>(run.steps.map((s) => [s.stepKey, s]));
    try {
      if (run.lapsedLeases >= this.#o.maxClaims) {
        await queue.finish(this.owner, run.id, {
          status: 'failed',
          steps: run.steps,
          error: { name: 'DeadLetter', message: `run was claimed ${run.attempt - 1} times without finishing` },
        });
        return this.#finished(run, 'failed');
      }
      const workflow = await this.#o.loadVersion(run.workflowId, run.workflowVersion);
      let event: unknown = run.payload;
      if (this.#o.prepareEvent) {
        try {
          event = await this.#o.prepareEvent(run, workflow);
        } catch (error) {
          // e.g. Stripe down while refetching the object: retry later with backoff, or fail the run at its trigger.
          const triggerId = workflow.nodes.find((n) => isTriggerType(n.type))?.id;
          const err = {
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          };
          if (error instanceof RetryableError && run.attempt < this.#o.maxClaims) {
            await queue.reschedule(
              this.owner,
              run.id,
              new Date(Date.now() + Math.min(1000 * 2 ** run.attempt, 300_000)),
              run.steps,
              err,
              triggerId,
            );
            return this.#finished(run, 'retry');
          }
          await queue.finish(this.owner, run.id, {
            status: 'failed',
            steps: run.steps,
            error: err,
            ...(triggerId ? { errorNodeId: triggerId } : {}),
          });
          return this.#finished(run, 'failed');
        }
      }
      const result = await runWorkflow({
        registry: defaultRegistry,
        workflow,
        event,
        env: run.environment,
        ports: this.#guarded(run.id, this.#o.portsFor(run)),
        memo: run.steps,
        idempotencyScope: run.workflowId,
        onStep: async (step) => {
          steps.set(step.stepKey, step);
          // A node with external effects has no transactional record of its own: persist its step at once.
          if (step.status === 'succeeded' && defaultRegistry.get(step.nodeType)?.externalEffects) {
            if (!(await queue.saveSteps(this.owner, run.id, [...steps.values()]))) this.#leaseLost(run.id);
          }
        },
      });
      this.#finishing.add(run.id);
      switch (result.status) {
        case 'succeeded':
        case 'skipped':
          if (!(await queue.finish(this.owner, run.id, { status: 'succeeded', steps: result.steps })))
            return this.#leaseLost(run.id);
          return this.#finished(run, 'succeeded');
        case 'failed':
          if (
            !(await queue.finish(this.owner, run.id, {
              status: 'failed',
              steps: result.steps,
              error: { ...result.error },
              ...(result.nodeId ? { errorNodeId: result.nodeId } : {}),
            }))
          ) {
            return this.#leaseLost(run.id);
          }
          log.warn(
            {
              executionId: run.id,
              workflowId: run.workflowId,
              eventId: run.eventStripeId,
              nodeId: result.nodeId,
              error: result.error.message,
            },
            'run failed',
          );
          return this.#finished(run, 'failed');
        case 'retry':
          if (
            !(await queue.reschedule(
              this.owner,
              run.id,
              new Date(result.retryAt),
              result.steps,
              { ...result.error },
              result.nodeId,
            ))
          )
            return this.#leaseLost(run.id);
          return this.#finished(run, 'retry');
      }
    } catch (error) {
      // The engine reports node failures in its result; reaching here means infrastructure (database, code) failed.
      // Leave the run to its lease: another claim retries it, up to maxClaims.
      log.error(
        { executionId: run.id, err: describeError(error) },
        'run crashed; it will be claimed again when its lease lapses',
      );
    }
  }

  #lastReap = 0;

  /** At most once per poll interval, in whichever process gets there: returning lapsed runs is idempotent. */
  async #reapNowAndThen(): Promise<void> {
    if (Date.now() - this.#lastReap < this.#o.pollMs) return;
    this.#lastReap = Date.now();
    try {
      const reaped = await this.#o.queue.reapLapsedLeases();
      if (reaped > 0) this.#o.log.warn({ runs: reaped }, 'runs whose lease lapsed are pending again');
    } catch (error) {
      this.#o.log.error({ err: describeError(error) }, 'reaping lapsed leases failed');
    }
  }

  /**
   * Another process claimed this run after our lease lapsed (a long pause, a lost connection). Its record is
   * theirs now: stop its side effects and write nothing more for it.
   */
  #leaseLost(id: number): void {
    if (this.#lost.has(id) || !this.#active.has(id)) return;
    this.#lost.add(id);
    this.#o.log.warn({ executionId: id }, 'lease lost: another process owns this run now; stopping it here');
  }

  /** Ports that refuse to act once the run's lease is lost, so two processes never both cause effects. */
  #guarded(id: number, ports: Ports): Ports {
    const check = () => {
      if (this.#lost.has(id)) throw new NonRetriableError('lease lost: another process is running this execution');
    };
    const wrap = <T extends object>(port: T): T =>
      new Proxy(port, {
        get: (target, key, receiver) => {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function'
            ? (...args: unknown[]) => {
                check();
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              }
            : value;
        },
      });
    return {
      ...ports,
      tables: wrap(ports.tables),
      http: wrap(ports.http),
      stripe: wrap(ports.stripe),
      email: wrap(ports.email),
    };
  }

  #finished(run: ClaimedRun, status: 'succeeded' | 'failed' | 'retry'): void {
    this.#o.onFinished?.(run, status);
  }
}
