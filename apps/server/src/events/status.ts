import { sql } from 'drizzle-orm';

export const EVENT_STATUSES = ['received', 'processing', 'processed', 'failed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * An event's status is derived from its runs rather than stored, so a worker finishing a run does not write
 * the event row too (the outer query must select from `events` under that name): `received` (no workflow runs on it), `processing`, `failed` (a run failed), `processed`.
 */
export const eventStatus = sql<EventStatus>`(CASE
  WHEN NOT EXISTS (SELECT 1 FROM executions x WHERE x.event_id = "events"."id") THEN 'received'
  WHEN EXISTS (SELECT 1 FROM executions x WHERE x.event_id = "events"."id" AND x.status IN ('pending', 'running')) THEN 'processing'
  WHEN EXISTS (SELECT 1 FROM executions x WHERE x.event_id = "events"."id" AND x.status = 'failed') THEN 'failed'
  ELSE 'processed' END)`;
