import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { events, type Environment } from '../db/schema.js';
import type { ParsedStripeEvent } from './stripe-event.js';

export interface InboxEntry {
  environment: Environment;
  event: ParsedStripeEvent;
  /** The body exactly as received; stored as the payload. */
  raw: string;
}

export type InboxResult = 'stored' | 'duplicate';

interface Waiting {
  entry: InboxEntry;
  resolve: (result: InboxResult) => void;
  reject: (error: unknown) => void;
}

export interface InboxOptions {
  /** Most rows in one INSERT. */
  maxBatch?: number;
  /** Batches committing at once; keep below the connection pool size. */
  maxConcurrentBatches?: number;
}

/**
 * Group commit: deliveries that arrive while earlier batches are committing are written together in one
 * multi-row INSERT … ON CONFLICT DO NOTHING. Each caller's promise settles only after the transaction
 * holding its row has committed, so a 200 is never sent for an event that is not durable.
 */
export class Inbox {
  readonly #db: Db;
  readonly #maxBatch: number;
  readonly #maxConcurrent: number;
  #queue: Waiting[] = [];
  #inFlight = 0;
  #drainScheduled = false;

  constructor(db: Db, options: InboxOptions = {}) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxConcurrent = options.maxConcurrentBatches ?? 4;
  }

  store(entry: InboxEntry): Promise<InboxResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#scheduleDrain();
    });
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    // setImmediate lets every request parsed in this turn of the event loop join the same batch.
    setImmediate(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#inFlight < this.#maxConcurrent && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#drain();
      });
    }
  }

  async #commit(batch: Waiting[]): Promise<void> {
    try {
      const inserted = await this.#insert(batch.map((w) => w.entry));
      // A delivery is 'stored' only for the first of any same-id copies in the batch; the rest are duplicates.
      for (const w of batch) {
        const key = keyOf(w.entry.environment, w.entry.event.id);
        w.resolve(inserted.delete(key) ? 'stored' : 'duplicate');
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  async #insert(entries: InboxEntry[]): Promise<Set<string>> {
    const rows = await this.#db
      .insert(events)
      .values(
        entries.map(({ environment, event, raw }) => ({
          environment,
          stripeId: event.id,
          type: event.type,
          action: event.action,
          objectId: event.objectId,
          created: event.created,
          livemode: event.livemode,
          account: event.account,
          apiVersion: event.apiVersion,
          // The raw text is cast by PostgreSQL; re-serialising a parsed copy would cost CPU on the hot path.
          payload: sql`${raw}::jsonb`,
        })),
      )
      .onConflictDoNothing({ target: [events.environment, events.stripeId] })
      .returning({ environment: events.environment, stripeId: events.stripeId });
    return new Set(rows.map((r) => keyOf(r.environment, r.stripeId)));
  }
}

function keyOf(environment: string, stripeId: string): string {
  return `${environment}\u0000${stripeId}`;
}
