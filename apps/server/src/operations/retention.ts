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
 * unfinished run are kept, and skipped: each statement picks only rows that are due, past the last one deleted,
 * so a kept old event never stalls the pass. Data tables are user data and are never pruned. Events are walked
 * in id order (ids follow arrival), so no extra index on the ingest path is needed.
 */
export async function pruneOnce(database: Database, options: RetentionOptions): Promise<{ events: number }> {
  const batch = options.batchSize ?? 1000;
  let total = 0;
  let after = 0;
  for (;;) {
    // The walk stops at the first event that is not old enough (ids follow arrival), not at the end of the table.
    const rows = await database.query<{ id: string | number }>(
      `WITH cutoff AS (SELECT now() - $2 * interval '1 day' AS at),
       boundary AS (SELECT COALESCE(min(e.id), 9223372036854775807) AS id FROM events e, cutoff WHERE e.id > $3 AND e.received_at >= cutoff.at),
       due AS (
         SELECT e.id FROM events e, cutoff, boundary
         WHERE e.id > $3 AND e.id < boundary.id AND e.received_at < cutoff.at
           AND NOT EXISTS (SELECT 1 FROM executions x WHERE x.event_id = e.id AND x.status IN ('pending', 'running'))
         ORDER BY e.id LIMIT $1
         FOR UPDATE OF e SKIP LOCKED
       )
       DELETE FROM events e USING due WHERE e.id = due.id RETURNING e.id`,
      [batch, options.days, after],
    );
    total += rows.length;
    if (rows.length < batch) return { events: total };
    after = Math.max(...rows.map((r) => Number(r.id)));
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
