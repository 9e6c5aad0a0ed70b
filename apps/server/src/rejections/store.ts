import { REJECTIONS_KEPT, type Rejection, type RejectionReason } from '@switchyard/contract';
import type { Database } from '../db/client.js';
import type { Environment } from '../db/schema.js';

export interface RefusalRow {
  at: Date;
  status: number;
  reason: RejectionReason;
}

/**
 * One statement per batch: the environment's counter moves by the batch size, and each refusal overwrites the
 * ring slot `seq % 100`. Slots are the primary key and a CHECK holds them to 0..99, so the table can never hold more
 * than 100 rows per environment, whoever writes and however often.
 */
const WRITE = `
WITH counter AS (
  INSERT INTO refusal_counters (environment, seq) VALUES ($1, $2)
  ON CONFLICT (environment) DO UPDATE SET seq = refusal_counters.seq + $2
  RETURNING seq
)
INSERT INTO delivery_refusals (environment, slot, seq, at, status, reason)
SELECT $1, ((counter.seq - $2 + r.i) % ${REJECTIONS_KEPT})::smallint, counter.seq - $2 + r.i, r.at::timestamptz, r.status::smallint, r.reason
FROM counter, unnest($3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS r(at, status, reason, i)
ON CONFLICT (environment, slot) DO UPDATE
  SET seq = excluded.seq, at = excluded.at, status = excluded.status, reason = excluded.reason`;

export class RefusalStore {
  constructor(private readonly database: Database) {}

  /** Writes up to REJECTIONS_KEPT refusals of one environment, oldest first; more would only overwrite each other. */
  async write(environment: Environment, rows: readonly RefusalRow[]): Promise<void> {
    const kept = rows.slice(-REJECTIONS_KEPT);
    if (kept.length === 0) return;
    await this.database.query(WRITE, [
      environment,
      kept.length,
      kept.map((r) => r.at.toISOString()),
      kept.map((r) => r.status),
      kept.map((r) => r.reason),
    ]);
  }

  /** Newest first. */
  async list(environment: Environment): Promise<Rejection[]> {
    const rows = await this.database.query<{ at: Date | string; status: number; reason: RejectionReason }>(
      'SELECT at, status, reason FROM delivery_refusals WHERE environment = $1 ORDER BY seq DESC',
      [environment],
    );
    return rows.map((r) => ({ at: new Date(r.at).toISOString(), status: Number(r.status), reason: r.reason }));
  }

  /** How many of the kept refusals of each reason are from `since` on. */
  async countSince(environment: Environment, since: Date): Promise<Map<RejectionReason, number>> {
    const rows = await this.database.query<{ reason: RejectionReason; n: string | number }>(
      'SELECT reason, count(*) AS n FROM delivery_refusals WHERE environment = $1 AND at >= $2::timestamptz GROUP BY reason',
      [environment, since.toISOString()],
    );
    return new Map(rows.map((r) => [r.reason, Number(r.n)]));
  }
}
