import type { BulkRetrySkipReason } from '@switchyard/contract';
import { and, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { executions, workflows } from '../db/schema.js';
import { deadLetterConditions } from './search.js';

const workflowExists = sql`EXISTS (SELECT 1 FROM ${workflows} WHERE ${workflows.id} = ${executions.workflowId})`;

export type RetryVersion = 'same' | 'latest';

/** One failed run retried: the new execution and the run it resumes. */
export interface Retried {
  id: string;
  parentId: string;
}

/**
 * Retries the failed runs matching `where`, at most `limit`, in ONE statement: the runs are marked retried and
 * their retries created together, so a crash leaves either both or neither. With `once`, a run already retried
 * is skipped, and concurrent callers skip each other's rows (SKIP LOCKED, then the `retried_at IS NULL` check
 * that PostgreSQL repeats on the row's latest version): each run is retried exactly once however often the call
 * repeats. Each retry resumes after the steps that succeeded, on the version the run ran ('same') or the
 * workflow's latest saved version ('latest'). Runs of a deleted workflow are not retried.
 */
export async function retryWhere(
  db: Db,
  where: SQL[],
  options: { version: RetryVersion; limit: number; once: boolean },
): Promise<Retried[]> {
  const candidates = and(
    ...where,
    eq(executions.status, 'failed'),
    ...(options.once ? deadLetterConditions() : []),
    workflowExists,
  );
  const result = await db.execute<{ id: string | number; parent_id: string | number }>(sql`
WITH picked AS (
  SELECT ${executions.id} AS id FROM ${executions} WHERE ${candidates}
  ORDER BY ${executions.createdAt} DESC, ${executions.id} DESC
  LIMIT ${options.limit}
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE executions AS p SET retried_at = now()
  FROM picked WHERE p.id = picked.id ${options.once ? sql`AND p.retried_at IS NULL` : sql``}
  RETURNING p.*
)
INSERT INTO executions (environment, workflow_id, workflow_version, event_id, event_created, object_id, event_type, origin, parent_id, status, steps)
SELECT c.environment, c.workflow_id, ${options.version === 'latest' ? sql`w.latest_version` : sql`c.workflow_version`},
  c.event_id, c.event_created, c.object_id, c.event_type, 'retry', c.id, 'pending',
  coalesce((SELECT jsonb_agg(s.value ORDER BY s.ordinality) FROM jsonb_array_elements(c.steps) WITH ORDINALITY AS s(value, ordinality)
            WHERE s.value->>'status' = 'succeeded'), '[]'::jsonb)
FROM claimed c JOIN workflows w ON w.id = c.workflow_id
ORDER BY c.created_at DESC, c.id DESC
RETURNING id, parent_id`);
  // postgres-js answers the rows, PGlite an object holding them.
  type Row = { id: string | number; parent_id: string | number };
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: Row[] }).rows) as Row[];
  return rows.map((r) => ({ id: String(r.id), parentId: String(r.parent_id) }));
}

/** How many failed, not yet retried runs still match: what a bulk retry leaves for the next call. */
export async function countRetryable(db: Db, where: SQL[]): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(executions)
    .where(and(...where, eq(executions.status, 'failed'), ...deadLetterConditions(), workflowExists));
  return Number(row?.n ?? 0);
}

/**
 * Why each of `ids` was not retried, read after the retry: a run another call holds has not had its retry
 * committed yet ('being retried'; it will be 'already retried' once that call commits).
 */
export async function whyNotRetried(db: Db, ids: string[]): Promise<{ id: string; reason: BulkRetrySkipReason }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: executions.id, status: executions.status, retriedAt: executions.retriedAt, live: workflowExists })
    .from(executions)
    .where(inArray(executions.id, ids.map(Number)));
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return ids.map((id) => {
    const row = byId.get(id);
    const reason: BulkRetrySkipReason = !row
      ? 'not found'
      : row.status !== 'failed'
        ? 'not failed'
        : row.retriedAt !== null
          ? 'already retried'
          : !row.live
            ? 'workflow deleted'
            : 'being retried';
    return { id, reason };
  });
}

/** The database's clock, ISO 8601 to the microsecond: the bound of a bulk retry by filter that named none. */
export async function databaseNow(db: Db): Promise<string> {
  const result = await db.execute<{ now: string }>(sql`SELECT to_json(now()) #>> '{}' AS now`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { now: string }[] }).rows) as {
    now: string;
  }[];
  return rows[0]!.now;
}
