/**
 * The main thread's side of the engine threads: a piscina pool, one MessagePort per run that serves the
 * run's port calls with the real (guarded) ports, and the run budget. A run over budget has its thread
 * terminated, which stops it even inside a synchronous loop; runs that shared that thread are resumed on
 * another one from the steps they had finished, under the same claim.
 */
import { existsSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import {
  type EnvName,
  NonRetriableError,
  type Ports,
  type RunResult,
  type StepRecord,
  type WorkflowDocument,
} from '@switchyard/engine';
import { Piscina } from 'piscina';
import type { Logger } from '../logger.js';
import {
  BRIDGED_PORTS,
  CurrentStep,
  PULSE,
  PULSE_MS,
  type RunAnswer,
  type RunTask,
  type ThreadMessage,
  toWireError,
} from './thread-protocol.js';

export interface EngineRequest {
  runId: number;
  workflowKey: string;
  event: unknown;
  env: EnvName;
  memo: StepRecord[];
  idempotencyScope: string;
  /** The environment's `context.secrets` (real values: they cross to the thread, never into a record) and `context.vars`. */
  secrets?: Record<string, string>;
  vars?: Record<string, unknown>;
}

export interface EngineHandlers {
  /** The ports the run's calls are made with, on this thread. */
  ports: Ports;
  workflow(): Promise<WorkflowDocument> | WorkflowDocument;
  /** A finished step; `persist` when the thread waits for it to be stored before going on. */
  onStep(step: StepRecord, persist: boolean): Promise<void> | void;
}

export type EngineOutcome =
  | { status: 'finished'; result: RunResult }
  /** Stopped at its budget: the steps it had finished and the node it was executing. */
  | { status: 'over-budget'; budgetMs: number; steps: StepRecord[]; nodeId?: string; stepKey?: string };

export interface EnginePoolOptions {
  threads: number;
  /** Runs in flight at once across the pool; they share threads, as most of a run is awaiting its ports. */
  concurrency: number;
  budgetMs: number;
  log: Logger;
}

/** Times one run may lose its thread to other runs' overruns before it is left to its lease. */
const MAX_THREAD_LOSSES = 3;
/** A thread with runs in hand and no pulse for this long is busy in user code: new runs go elsewhere. */
const QUIET_MS = PULSE_MS * 3;

type WorkerView = Parameters<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer'] & {}>[1][number];

export class EnginePool {
  #piscina: Piscina | undefined;
  readonly #o: EnginePoolOptions;
  /** Threads terminated on purpose: their other tasks were innocent and are resumed elsewhere. */
  readonly #stopped = new Set<number>();
  /** Last pulse of each thread. */
  readonly #heard = new Map<number, number>();

  constructor(options: EnginePoolOptions) {
    this.#o = options;
  }

  /** Started by the first run: a process that never works (the CLI, most tests) starts no threads. */
  get #pool(): Piscina {
    if (this.#piscina) return this.#piscina;
    const threads = Math.max(1, this.#o.threads);
    this.#piscina = new Piscina({
      filename: threadEntry(),
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: this.#perThread,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Runs on a thread await their port answers concurrently; a thread parked in Atomics.wait would stall them.
      atomics: 'disabled',
      loadBalancer: (_task, workers) => this.#pick(workers),
    });
    this.#piscina.on('message', (m: unknown) => {
      const id = (m as Record<string, unknown> | null)?.[PULSE];
      if (typeof id === 'number') this.#heard.set(id, Date.now());
    });
    return this.#piscina;
  }

  async run(request: EngineRequest, handlers: EngineHandlers): Promise<EngineOutcome> {
    let memo = request.memo;
    for (let losses = 0; ; losses++) {
      const attempt = await this.#attempt({ ...request, memo }, handlers);
      if (attempt.status !== 'thread-lost') return attempt;
      if (losses + 1 >= MAX_THREAD_LOSSES) {
        throw new Error(`run lost its engine thread ${MAX_THREAD_LOSSES} times to other runs`);
      }
      this.#o.log.warn(
        { executionId: request.runId, steps: attempt.steps.length },
        'engine thread stopped for another run; resuming this run on another thread',
      );
      memo = attempt.steps;
    }
  }

  async destroy(): Promise<void> {
    const pool = this.#piscina;
    this.#piscina = undefined;
    await pool?.destroy();
  }

  async #attempt(
    request: EngineRequest,
    handlers: EngineHandlers,
  ): Promise<EngineOutcome | { status: 'thread-lost'; steps: StepRecord[] }> {
    const { port1, port2 } = new MessageChannel();
    const steps = new Map(request.memo.map((s) => [s.stepKey, s]));
    let threadId: number | undefined;
    const current = new CurrentStep();
    let overBudget = false;
    let budget: NodeJS.Timeout | undefined;
    const received = new Int32Array(new SharedArrayBuffer(4));
    let answersSent = 0;
    let callsInFlight = 0;
    /** Stopped at its budget without terminating its thread: its task may run on, but may not act. */
    let stopped = false;
    let stopNow!: () => void;
    const softStop = new Promise<'stopped'>((resolve) => {
      stopNow = () => resolve('stopped');
    });
    let done!: () => void;
    const allDelivered = new Promise<void>((resolve) => {
      done = resolve;
    });
    const answer = (id: number, work: () => unknown) => {
      Promise.resolve()
        .then(() => {
          if (stopped) throw new NonRetriableError('run stopped at its budget');
          return work();
        })
        .then(
          (value) => port1.postMessage({ id, ok: true, value }),
          (error: unknown) => port1.postMessage({ id, ok: false, error: toWireError(error) }),
        )
        .finally(() => {
          answersSent++;
        })
        // The thread is gone (budget, shutdown): nobody waits for this answer any more.
        .catch(() => {});
    };
    port1.on('message', (m: ThreadMessage) => {
      switch (m.kind) {
        case 'started':
          threadId = m.threadId;
          // The budget counts from the moment a thread starts the run, not while it waits for a free thread.
          budget = setTimeout(onBudget, this.#o.budgetMs);
          return;
        case 'steps': {
          for (const step of m.steps) steps.set(step.stepKey, step);
          const last = m.steps.at(-1)!;
          const earlier = m.steps.slice(0, m.id === undefined ? m.steps.length : -1);
          const passOn = async () => {
            for (const step of earlier) await handlers.onStep(step, false);
            if (m.id !== undefined) await handlers.onStep(last, true);
          };
          if (m.id === undefined) void (stopped ? undefined : passOn().catch(() => {}));
          else answer(m.id, passOn);
          return;
        }
        case 'call': {
          const methods: readonly string[] | undefined = BRIDGED_PORTS[m.port];
          const port = handlers.ports[m.port] as unknown as Record<string, (...args: unknown[]) => unknown>;
          callsInFlight++;
          answer(m.id, async () => {
            try {
              if (!methods?.includes(m.method)) throw new Error(`no port method ${m.port}.${m.method}`);
              return await port[m.method]!(...m.args);
            } finally {
              callsInFlight--;
            }
          });
          return;
        }
        case 'workflow':
          answer(m.id, () => handlers.workflow());
          return;
        case 'log':
          void Promise.resolve(handlers.ports.log(m.entry)).catch(() => {});
          return;
        case 'done':
          done();
          return;
      }
    });
    /**
     * The budget is wall time, and runs share threads, so the run out of time is not always the one burning
     * CPU. A responsive thread (it pulses) holds no burner: the run is slow on I/O or asleep, and is stopped
     * alone, its thread kept. On a quiet thread, a run still waiting for an answer its thread has not taken in
     * is a victim: it is looked at again shortly, and resumed elsewhere when the burner's own budget stops the
     * thread. Otherwise the run is the burner, or cannot be told from it: the thread is terminated.
     */
    const onBudget = () => {
      const quiet = Date.now() - (this.#heard.get(threadId!) ?? 0) > QUIET_MS;
      const waiting = callsInFlight > 0 || Atomics.load(received, 0) < answersSent;
      overBudget = true;
      if (!quiet) {
        stopped = true;
        stopNow();
      } else if (waiting) {
        overBudget = false;
        budget = setTimeout(onBudget, QUIET_MS);
      } else {
        this.#terminate(threadId!);
      }
    };
    const task: RunTask = { ...request, port: port2, current: current.buffer, received: received.buffer };
    const running = this.#pool.run(task, { transferList: [port2] }) as Promise<RunAnswer>;
    // The port stays open until the task settles, so a run stopped alone gets its refusals and ends.
    void running.then(
      // After `done`, if one follows: closing earlier would drop it (and the log lines before it).
      (answered) => (answered.awaitDone ? allDelivered : Promise.resolve()).then(() => port1.close()),
      () => port1.close(),
    );
    try {
      const answered = await Promise.race([running, softStop]);
      if (answered === 'stopped') throw new Error('stopped at its budget');
      if (answered.awaitDone) await allDelivered;
      return { status: 'finished', result: answered.result };
    } catch (error) {
      if (overBudget) {
        return {
          status: 'over-budget',
          budgetMs: this.#o.budgetMs,
          steps: [...steps.values()],
          ...(current.read() ?? {}),
        };
      }
      // A run that never started cannot have killed its thread; one on a thread stopped on purpose did not.
      if (threadId === undefined || this.#stopped.has(threadId)) {
        return { status: 'thread-lost', steps: [...steps.values()] };
      }
      throw error;
    } finally {
      clearTimeout(budget);
    }
  }

  /**
   * Least busy first, as piscina's own balancer, but never a thread gone quiet with runs in hand (one of them
   * is burning CPU): new runs wait for a free place elsewhere rather than behind it until its budget.
   */
  #pick(workers: WorkerView[]): WorkerView | null {
    const now = Date.now();
    let best: WorkerView | null = null;
    for (const w of workers) {
      if (w.terminating || w.destroyed || w.currentUsage >= this.#perThread) continue;
      if (w.currentUsage > 0 && now - (this.#heard.get(w.id) ?? now) > QUIET_MS) continue;
      if (!best || w.currentUsage < best.currentUsage) best = w;
    }
    return best;
  }

  get #perThread(): number {
    return Math.max(1, Math.ceil(this.#o.concurrency / Math.max(1, this.#o.threads)));
  }

  #terminate(threadId: number): void {
    this.#stopped.add(threadId);
    this.#heard.delete(threadId);
    const thread = this.#piscina?.threads.find((t) => t.threadId === threadId);
    // piscina sees the exit, fails the thread's tasks and starts a replacement thread.
    void thread?.terminate();
  }
}

/**
 * The built thread entry beside this module. Under vitest this module is the TypeScript source, which a
 * worker thread cannot load, so the thread runs the server's built `dist` (CI builds before testing).
 */
function threadEntry(): string {
  const beside = new URL('./engine-thread.js', import.meta.url);
  if (existsSync(beside)) return beside.href;
  const built = new URL('../../dist/runtime/engine-thread.js', import.meta.url);
  if (existsSync(built)) return built.href;
  throw new Error('engine thread entry not found: build the server first (npm run build -w @switchyard/server)');
}
