import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { executions } from '../db/schema.js';

export const EVENT_STATUSES = ['received', 'processing', 'processed', 'failed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * The status of each given event, derived from its runs rather than stored, so a worker finishing a run does not
 * write the event row too: `received` (no workflow runs on it), `processing`, `failed` (a run failed), `processed`.
 * Asked for a page of events at a time (one index probe per event on `executions.event_id`), never as a
 * correlated subquery in a query over events: the planner may answer those by hashing every execution, which
 * grows with the history instead of the page (docs/architecture.md, "What grows").
 */
export async function statusesOf(db: Db, eventIds: number[]): Promise<Map<number, EventStatus>> {
  const statuses = new Map<number, EventStatus>(eventIds.map((id) => [id, 'received']));
  if (eventIds.length === 0) return statuses;
  const rows = await db
    .select({
      eventId: executions.eventId,
      open: sql<boolean>`bool_or(${executions.status} IN ('pending', 'running'))`,
      failed: sql<boolean>`bool_or(${executions.status} = 'failed')`,
    })
    .from(executions)
    .where(inArray(executions.eventId, eventIds))
    .groupBy(executions.eventId);
  for (const r of rows) statuses.set(Number(r.eventId), r.open ? 'processing' : r.failed ? 'failed' : 'processed');
  return statuses;
}
