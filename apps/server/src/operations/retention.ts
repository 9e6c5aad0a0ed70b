import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';

export interface RetentionOptions {
  days: number;
  batchSize?: number;
  /** How often to prune; the first pass runs one interval after start. */
  everyMs?: number;
}

/**
 * Prunes events (and, by cascade, their executions) older than RETENTION_DAYS, oldest first, in small
 * batches: each batch is its own short transaction, so ingest never waits behind a long delete. Events with an
 * unfinished run are kept. Data tables are user data and are never pruned. Events are walked in id order
 * (ids follow arrival), so no extra index on the ingest path is needed.
 */
export async function pruneOnce(database: Database, options: RetentionOptions): Promise<{ events: number }> {
  const batch = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const rows = await database.query<{ id: string }>(
      `WITH oldest AS (SELECT id, received_at FROM events ORDER BY id LIMIT $1)
       DELETE FROM events e USING oldest o
       WHERE e.id = o.id AND o.received_at < now() - $2 * interval '1 day'
         AND NOT EXISTS (SELECT 1 FROM executions x WHERE x.event_id = e.id AND x.status IN ('pending', 'running'))
       RETURNING e.id`,
      [batch, options.days],
    );
    total += rows.length;
    if (rows.length < batch) return { events: total };
  }
}

export function scheduleRetention(database: Database, log: Logger, options: RetentionOptions): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pruneOnce(database, options)
      .then(
        ({ events }) =>
          events > 0 && log.info({ events, retentionDays: options.days }, 'pruned old events and their executions'),
      )
      .catch((error: unknown) => log.warn({ err: { message: (error as Error).message } }, 'retention pass failed'))
      .finally(() => {
        running = false;
      });
  }, options.everyMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
