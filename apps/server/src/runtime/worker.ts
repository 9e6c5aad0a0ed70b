import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  describeError,
  isTriggerType,
  NonRetriableError,
  type Ports,
  RetryableError,
  type RunResult,
  type StepRecord,
  type WorkflowDocument,
} from '@switchyard/engine';
import type { Logger } from '../logger.js';
import type { RunSecrets } from '../secrets/service.js';
import type { EngineOutcome, EnginePool } from './engine-pool.js';
import { type ClaimedExecution, type ExecutionQueue, RunRecordError } from './queue.js';

export interface WorkerOptions {
  queue: ExecutionQueue;
  /** The immutable document of a workflow version; cached by the caller. */
  loadVersion(workflowId: string, version: number): Promise<WorkflowDocument>;
  portsFor(run: ClaimedExecution): Ports;
  /** Engine threads: runs execute there, never on this thread. */
  engine: EnginePool;
  log: Logger;
  /** Runs executing at once in this process. */
  concurrency?: number;
  leaseMs?: number;
  /** Fallback poll for scheduled retries and lapsed leases; new work wakes the worker at once. */
  pollMs?: number;
  /** Claims of one run before it is dead-lettered, e.g. when it keeps killing its process. */
  maxClaims?: number;
  onFinished?: (run: ClaimedExecution, status: 'succeeded' | 'failed' | 'retry') => void;
  /** The event the engine gets, e.g. with `data.object` refetched from Stripe; default the stored payload. */
  prepareEvent?: (run: ClaimedExecution, workflow: WorkflowDocument) => Promise<unknown>;
  /** The run's environment's `context.secrets` and `context.vars`; none when absent. */
  runSecrets?: (run: ClaimedExecution) => Promise<RunSecrets>;
}

interface Claim {
  /** When the lease was last confirmed (claim or heartbeat), by this process's clock when the query was sent. */
  confirmedAt: number;
  /** A side effect was refused because the lease may have lapsed: the run is abandoned, nothing more is written. */
  fenced: boolean;
}

/** Port calls that change the world; reads (tables.query) and log lines go on while a lease is in doubt. */
const WORLD_CHANGING: Partial<Record<keyof Ports, ReadonlySet<string>>> = {
  tables: new Set(['upsert', 'insert', 'update', 'delete']),
  http: new Set(['request']),
  stripe: new Set(['request']),
  email: new Set(['send']),
};

export class Worker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #o: Required<Omit<WorkerOptions, 'onFinished' | 'prepareEvent' | 'runSecrets'>> &
    Pick<WorkerOptions, 'onFinished' | 'prepareEvent' | 'runSecrets'>;
  /** This process's claim of each run in hand; a run claimed again after its lease lapsed gets a new one. */
  readonly #claims = new Map<number, Claim>();
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
        const sentAt = Date.now();
        const claims = [...this.#claims];
        this.#o.queue
          .heartbeat(
            this.owner,
            claims.map(([id]) => id),
            this.#o.leaseMs,
          )
          .then((lost) => {
            const gone = new Set(lost);
            for (const [id, claim] of claims) if (!gone.has(id)) claim.confirmedAt = sentAt;
            // A run being finished may already be recorded as done; that is not a lost lease.
            for (const id of lost) if (!this.#finishing.has(id)) this.#leaseLost(id);
          })
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
      let claimed: ClaimedExecution[] = [];
      // Claim in batches: a claim per finished run would make claiming, not running, the limit.
      if (free > 0 && (free >= this.#claimBatch || this.#active.size === 0)) {
        const claimedAt = Date.now();
        try {
          claimed = await this.#o.queue.claim(this.owner, free, this.#o.leaseMs);
        } catch (error) {
          this.#o.log.error({ err: describeError(error) }, 'claiming runs failed');
        }
        for (const run of claimed) {
          const claim: Claim = { confirmedAt: claimedAt, fenced: false };
          this.#claims.set(run.id, claim);
          const done = this.#execute(run, claim).finally(() => {
            // This process may hold a newer claim of the same run (its lease lapsed while this one ran on).
            if (this.#claims.get(run.id) !== claim) return;
            this.#claims.delete(run.id);
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

  async #execute(run: ClaimedExecution, claim: Claim): Promise<void> {
    const { queue, log } = this.#o;
    const steps = new Map<string, StepRecord>(run.steps.map((s) => [s.stepKey, s]));
    try {
      if (run.lapsedLeases >= this.#o.maxClaims) {
        const recorded = await queue.finish(this.owner, run.id, {
          status: 'failed',
          steps: run.steps,
          error: {
            name: 'DeadLetter',
            message: `its lease lapsed ${run.lapsedLeases} times without the execution finishing`,
          },
        });
        if (!recorded) return this.#leaseLost(run.id);
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
          const recorded = await queue.finish(this.owner, run.id, {
            status: 'failed',
            steps: run.steps,
            error: err,
            ...(triggerId ? { errorNodeId: triggerId } : {}),
          });
          if (!recorded) return this.#leaseLost(run.id);
          return this.#finished(run, 'failed');
        }
      }
      const settings = await this.#o.runSecrets?.(run);
      let recordRefused: RunRecordError | undefined;
      const outcome = await this.#o.engine.run(
        {
          runId: run.id,
          workflowKey: `${run.workflowId}@${run.workflowVersion}`,
          event,
          env: run.environment,
          memo: run.steps,
          idempotencyScope: run.workflowId,
          ...(settings ? { secrets: settings.secrets, vars: settings.vars } : {}),
        },
        {
          ports: this.#guarded(run.id, claim, this.#o.portsFor(run)),
          workflow: () => workflow,
          onStep: async (step, persist) => {
            steps.set(step.stepKey, step);
            if (!persist || this.#lost.has(run.id) || claim.fenced) return;
            try {
              if (!(await queue.saveSteps(this.owner, run.id, [...steps.values()]))) this.#leaseLost(run.id);
            } catch (error) {
              if (error instanceof RunRecordError && error.recorded) recordRefused = error;
              throw error;
            }
          },
        },
      );
      // The queue ended the run as failed when its step record was refused; nothing more is written for it.
      if (recordRefused) throw recordRefused;
      if (claim.fenced) {
        // Another process may own the run by now; its record is left to whoever holds the lease next.
        log.warn({ executionId: run.id }, 'run abandoned: its lease may have lapsed; it resumes under a new claim');
        return;
      }
      if (outcome.status === 'over-budget') return await this.#overBudget(run, outcome);
      const result: RunResult = outcome.result;
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
      // Its record refused, the run was ended as failed (dead-lettered) rather than left to repeat its effects.
      if (error instanceof RunRecordError && error.recorded) {
        log.error({ executionId: run.id, err: describeError(error) }, 'run failed: its record could not be stored');
        return this.#finished(run, 'failed');
      }
      // The engine reports node failures in its result; reaching here means infrastructure (database, code) failed.
      // Leave the run to its lease: another claim retries it, up to maxClaims.
      log.error(
        { executionId: run.id, err: describeError(error) },
        'run crashed; it will be claimed again when its lease lapses',
      );
    }
  }

  /** The run's thread was terminated at its budget: a permanent failure, at the node it was executing. */
  async #overBudget(run: ClaimedExecution, outcome: Extract<EngineOutcome, { status: 'over-budget' }>): Promise<void> {
    const seconds = outcome.budgetMs / 1000;
    const message = `run exceeded its ${seconds} s budget${outcome.nodeId ? ` at node ${outcome.nodeId}` : ''}`;
    const error = { name: 'RunBudgetExceeded', message, retryable: false };
    const steps = outcome.steps.filter((s) => s.stepKey !== outcome.stepKey);
    if (outcome.nodeId && outcome.stepKey) {
      const at = Date.now();
      const running = outcome.steps.find((s) => s.stepKey === outcome.stepKey);
      steps.push({
        stepKey: outcome.stepKey,
        nodeId: outcome.nodeId,
        nodeType: running?.nodeType ?? '',
        loopPath: running?.loopPath ?? [],
        status: 'failed',
        error,
        attempt: (running?.attempt ?? 0) + 1,
        startedAt: at - outcome.budgetMs,
        finishedAt: at,
      });
    }
    this.#finishing.add(run.id);
    const recorded = await this.#o.queue.finish(this.owner, run.id, {
      status: 'failed',
      steps,
      error,
      ...(outcome.nodeId ? { errorNodeId: outcome.nodeId } : {}),
    });
    if (!recorded) return this.#leaseLost(run.id);
    this.#o.log.warn(
      { executionId: run.id, workflowId: run.workflowId, nodeId: outcome.nodeId, budgetMs: outcome.budgetMs },
      'run stopped at its budget',
    );
    this.#finished(run, 'failed');
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

  /**
   * Ports that refuse to change the world once the run's lease is lost, or may have lapsed: when no claim or
   * heartbeat has confirmed it for nearly a lease (heartbeats failing, e.g. the database unreachable from
   * here), another process may have claimed the run, and two processes must never both cause its effects.
   */
  #guarded(id: number, claim: Claim, ports: Ports): Ports {
    const margin = Math.floor(this.#o.leaseMs / 4);
    const check = () => {
      if (this.#lost.has(id)) throw new NonRetriableError('lease lost: another process is running this execution');
      if (claim.fenced || Date.now() - claim.confirmedAt >= this.#o.leaseMs - margin) {
        claim.fenced = true;
        throw new NonRetriableError('lease may have lapsed: no heartbeat confirmed it; side effect not started');
      }
    };
    const wrap = <K extends keyof typeof WORLD_CHANGING>(name: K): Ports[K] => {
      const port = ports[name] as object;
      const changing = WORLD_CHANGING[name]!;
      return new Proxy(port, {
        get: (target, key, receiver) => {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function'
            ? (...args: unknown[]) => {
                if (typeof key === 'string' && changing.has(key)) check();
                else if (this.#lost.has(id)) check();
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              }
            : value;
        },
      }) as Ports[K];
    };
    return { ...ports, tables: wrap('tables'), http: wrap('http'), stripe: wrap('stripe'), email: wrap('email') };
  }

  #finished(run: ClaimedExecution, status: 'succeeded' | 'failed' | 'retry'): void {
    this.#o.onFinished?.(run, status);
  }
}
