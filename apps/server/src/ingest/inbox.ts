import { ANY_EVENT_TRIGGER } from '@switchyard/engine';
import type { Database } from '../db/client.js';
import { isRowDataError, rowErrorReason, unstorableJsonReason } from '../db/json-safe.js';
import type { Environment } from '../db/schema.js';
import { EXECUTIONS_CHANNEL } from '../runtime/notify-channel.js';
import type { RecentEvents } from '../runtime/recent-events.js';
import type { ParsedStripeEvent } from './stripe-event.js';

export interface InboxEntry {
  environment: Environment;
  event: ParsedStripeEvent;
  /** The body exactly as received; stored as the payload. */
  raw: string;
  /** The body already parsed, handed to this process's workers when the event has runs. */
  parsed?: unknown;
}

export type InboxResult = 'stored' | 'duplicate';

/**
 * The event cannot be stored as it was received (e.g. it holds "\u0000", which jsonb refuses). The inbox keeps
 * payloads byte for byte as Stripe signed them, so it refuses the event rather than store an altered copy; the
 * delivery answers 400 with this reason and nothing is stored. Its batch neighbours are stored as usual.
 */
export class UnstorableEventError extends Error {
  override name = 'UnstorableEventError';
}

/** Told after a commit that created runs, so local workers wake at once (other processes hear NOTIFY). */
export type ExecutionsCreatedListener = (count: number) => void;

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
  onExecutionsCreated?: ExecutionsCreatedListener;
  recentEvents?: RecentEvents;
}

/**
 * Group commit: deliveries that arrive while earlier batches are committing are written together in one
 * multi-row INSERT … ON CONFLICT DO NOTHING. The same statement creates one pending run per matching
 * deployed workflow, so an event and its runs commit together or not at all. Each caller's promise settles
 * only after that commit, so a 200 is never sent for an event that is not durable.
 */
export class Inbox {
  readonly #database: Database;
  readonly #maxBatch: number;
  readonly #maxConcurrent: number;
  readonly #onExecutionsCreated: ExecutionsCreatedListener | undefined;
  readonly #recentEvents: RecentEvents | undefined;
  #queue: Waiting[] = [];
  #inFlight = 0;
  #drainScheduled = false;

  constructor(database: Database, options: InboxOptions = {}) {
    this.#database = database;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxConcurrent = options.maxConcurrentBatches ?? 4;
    this.#onExecutionsCreated = options.onExecutionsCreated;
    this.#recentEvents = options.recentEvents;
  }

  store(entry: InboxEntry): Promise<InboxResult> {
    // Known-unstorable payloads never join a batch; the row-by-row fallback catches whatever else the database refuses.
    const unstorable = unstorableJsonReason(entry.raw);
    if (unstorable) return Promise.reject(new UnstorableEventError(`event ${entry.event.id}: ${unstorable}`));
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
      settle(batch, await this.#insert(batch.map((w) => w.entry)));
    } catch (error) {
      // Database down or connection lost: every delivery gets 503 and Stripe retries; trying rows alone would not help.
      if (!isRowDataError(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      // One row refused for its content: insert row by row, so only that delivery fails.
      for (let i = 0; i < batch.length; i++) {
        const w = batch[i]!;
        try {
          settle([w], await this.#insert([w.entry]));
        } catch (rowError) {
          if (isRowDataError(rowError)) {
            w.reject(new UnstorableEventError(`event ${w.entry.event.id}: ${rowErrorReason(rowError)}`));
            continue;
          }
          for (const rest of batch.slice(i)) rest.reject(rowError);
          return;
        }
      }
    }
  }

  async #insert(entries: InboxEntry[]): Promise<Set<string>> {
    // Rows in key order: two processes inserting overlapping batches then lock in the same order and cannot deadlock.
    const ordered = [...entries].sort(
      (a, b) => compare(a.environment, b.environment) || compare(a.event.id, b.event.id),
    );
    const params: unknown[] = [];
    for (const { environment, event, raw } of ordered) {
      params.push(
        environment,
        event.id,
        event.type,
        event.action,
        event.family,
        event.objectId,
        event.created,
        event.livemode,
        event.account,
        event.apiVersion,
        raw,
      );
    }
    const rows = await this.#database.query<{
      id: string | number;
      environment: string;
      stripe_id: string;
      runs: number;
    }>(insertStatement(entries.length), params);
    const runs = rows.reduce((n, r) => n + Number(r.runs), 0);
    if (runs > 0 && this.#recentEvents) {
      const parsed = new Map(ordered.map((e) => [keyOf(e.environment, e.event.id), e.parsed]));
      const rawLength = new Map(ordered.map((e) => [keyOf(e.environment, e.event.id), e.raw.length]));
      for (const r of rows) {
        const value = Number(r.runs) > 0 ? parsed.get(keyOf(r.environment, r.stripe_id)) : undefined;
        if (value !== undefined)
          this.#recentEvents.remember(Number(r.id), value, rawLength.get(keyOf(r.environment, r.stripe_id)));
      }
    }
    if (runs > 0) this.#onExecutionsCreated?.(runs);
    return new Set(rows.map((r) => keyOf(r.environment, r.stripe_id)));
  }
}

const COLUMNS = [
  'environment',
  'stripe_id',
  'type',
  'action',
  'family',
  'object_id',
  'created',
  'livemode',
  'account',
  'api_version',
  'payload',
] as const;
// JSON travels as text and is cast by PostgreSQL: a parameter typed jsonb would make the driver JSON-encode the string again.
const CASTS = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'bigint',
  'boolean',
  'text',
  'text',
  'text::jsonb',
] as const;
const statements = new Map<number, string>();

/** One statement text per batch size, so the driver's prepared-statement cache gets reused. */
function insertStatement(rows: number): string {
  let text = statements.get(rows);
  if (!text) {
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${CASTS.map((cast, c) => `$${r * COLUMNS.length + c + 1}::${cast}`).join(', ')})`,
    );
    // The payload is cast from the raw text by PostgreSQL; re-serialising a parsed copy would cost CPU on the hot path.
    // Matching is a join on the enabled deployments (environment, trigger type, action filter; for the generic trigger its
    // exact types and `prefix.*` wildcards, as the engine's patternMatches); the partial unique index on executions
    // makes a second delivery of the event unable to create a second run.
    text = `WITH inserted AS (
  INSERT INTO events (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
  ON CONFLICT (environment, stripe_id) DO NOTHING
  RETURNING id, environment, stripe_id, type, action, family, object_id, created
), runs AS (
  INSERT INTO executions (environment, workflow_id, workflow_version, event_id, event_created, object_id, origin, status)
  SELECT i.environment, d.workflow_id, d.version, i.id, i.created, i.object_id, 'event', 'pending'
  FROM inserted i JOIN deployments d ON d.environment = i.environment
    AND d.trigger_type IN (i.family, '${ANY_EVENT_TRIGGER}')
  WHERE d.enabled AND CASE WHEN d.trigger_type = '${ANY_EVENT_TRIGGER}'
    THEN EXISTS (SELECT 1 FROM unnest(d.trigger_actions) AS p(pattern) WHERE p.pattern = i.type
      OR (right(p.pattern, 2) = '.*' AND length(i.type) > length(p.pattern) - 1 AND starts_with(i.type, left(p.pattern, -1))))
    ELSE cardinality(d.trigger_actions) = 0 OR i.action = ANY (d.trigger_actions) END
  ON CONFLICT (event_id, workflow_id) WHERE origin = 'event' DO NOTHING
  RETURNING event_id
), notified AS (
  SELECT pg_notify('${EXECUTIONS_CHANNEL}', '') FROM (SELECT 1 FROM runs LIMIT 1) AS any_run
)
SELECT i.id, i.environment, i.stripe_id, COALESCE(r.n, 0)::int AS runs
FROM inserted i LEFT JOIN (SELECT event_id, count(*) AS n FROM runs GROUP BY event_id) r ON r.event_id = i.id, (SELECT count(*) FROM notified) AS n`;
    if (statements.size < 1000) statements.set(rows, text);
  }
  return text;
}

/** A delivery is 'stored' only for the first of any same-id copies in the batch; the rest are duplicates. */
function settle(batch: Waiting[], inserted: Set<string>): void {
  for (const w of batch)
    w.resolve(inserted.delete(keyOf(w.entry.environment, w.entry.event.id)) ? 'stored' : 'duplicate');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyOf(environment: string, stripeId: string): string {
  return `${environment}\u0000${stripeId}`;
}
