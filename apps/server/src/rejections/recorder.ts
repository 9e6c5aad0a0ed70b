import { REJECTIONS_KEPT, type RejectionReason } from '@switchyard/contract';
import type { Environment } from '../db/schema.js';
import type { Refusal } from '../ingest/refusal.js';
import type { Logger } from '../logger.js';
import type { RefusalRow, RefusalStore } from './store.js';

export interface RefusalRecorderOptions {
  store: RefusalStore;
  log: Logger;
  /** ms since the epoch; the time each refusal is recorded at. */
  clock?: () => number;
  /** How long refusals gather before one write; a flood costs one statement per environment per interval. */
  flushAfterMs?: number;
  /** Told after each environment's batch is written, with the reasons it held (alerts count them). */
  onWritten?: (environment: Environment, reasons: ReadonlySet<RejectionReason>) => Promise<void> | void;
}

/**
 * Records refused deliveries off the answer's path: `record` only appends to a buffer (at most 100 per
 * environment, the ring's size, so a flood cannot grow memory either) and the buffer is written by a timer, one
 * statement per environment. The 400 never waits for the database and never fails because of it; a write that
 * fails is logged and dropped, since a refusal is a hint, not a record anything depends on.
 */
export class RefusalRecorder {
  readonly #pending = new Map<Environment, RefusalRow[]>();
  readonly #clock: () => number;
  readonly #flushAfterMs: number;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: RefusalRecorderOptions) {
    this.#clock = o.clock ?? Date.now;
    this.#flushAfterMs = o.flushAfterMs ?? 250;
  }

  record(refusal: Refusal): void {
    let rows = this.#pending.get(refusal.environment);
    if (!rows) {
      rows = [];
      this.#pending.set(refusal.environment, rows);
    }
    rows.push({ at: new Date(this.#clock()), status: refusal.status, reason: refusal.reason });
    if (rows.length > REJECTIONS_KEPT) rows.shift();
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushAfterMs).unref();
  }

  /** Writes what is buffered; resolves once it and any write before it are done. Never rejects. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches = [...this.#pending];
    this.#pending.clear();
    // Chained, so batches of one environment are written in the order they were refused.
    this.#flushing = this.#flushing.then(() => this.#write(batches));
    return this.#flushing;
  }

  async #write(batches: [Environment, RefusalRow[]][]): Promise<void> {
    for (const [environment, rows] of batches) {
      try {
        await this.o.store.write(environment, rows);
      } catch (error) {
        this.o.log.warn(
          {
            environment,
            refusals: rows.length,
            err: { message: error instanceof Error ? error.message : String(error) },
          },
          'recording refused deliveries failed',
        );
        continue;
      }
      try {
        await this.o.onWritten?.(environment, new Set(rows.map((r) => r.reason)));
      } catch (error) {
        this.o.log.warn(
          { environment, err: { message: error instanceof Error ? error.message : String(error) } },
          'checking refused deliveries for alerts failed',
        );
      }
    }
  }
}
