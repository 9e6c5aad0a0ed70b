import type { ParsedExecutionFilter, ParsedExecutionSearch } from '@switchyard/contract';
import type { StepRecord } from '@switchyard/engine';
import { and, desc, eq, getTableColumns, gte, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ENVIRONMENTS, events, executions } from '../db/schema.js';

/** What the search and "retry all matching" filter on (the contract's schema, parsed); none is required. */
export type SearchFilter = ParsedExecutionFilter;

export type SearchQuery = ParsedExecutionSearch;

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/** Position of the last row of a page: its `created_at` in microseconds (PostgreSQL's precision) and its id. */
interface Position {
  micros: string;
  id: string;
}

/** Opaque to callers; base64url so it travels in a header and a query string unchanged. */
export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.micros}:${p.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const match = /^(\d{1,18}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError('cursor is not one this API gave out; start again without it');
  return { micros: match[1]!, id: match[2]! };
}

/**
 * The conditions of a filter over `executions` columns only, so the list, the bulk retry's pick and its count
 * share them. Each filter has an index in the (created_at, id) order the list walks (schema.ts,
 * `executions_search_*`), led by the environment, but for the object id's, which is led by `object_id`: an
 * object has few runs, in whichever environments, and the environment filters those.
 */
export function filterConditions(f: SearchFilter): SQL[] {
  const conditions: (SQL | undefined)[] = [
    f.environment ? eq(executions.environment, f.environment) : undefined,
    f.workflowId ? eq(executions.workflowId, f.workflowId) : undefined,
    f.status ? eq(executions.status, f.status) : undefined,
    f.type ? eq(executions.eventType, f.type) : undefined,
    f.objectId ? eq(executions.objectId, f.objectId) : undefined,
    f.from ? gte(executions.createdAt, new Date(f.from)) : undefined,
    // Compared in the database, to the microsecond: `until`, which the bulk retry answers, is the database's now().
    f.to ? sql`${executions.createdAt} < ${f.to}::timestamptz` : undefined,
    ...(f.deadLetter ? deadLetterConditions() : []),
  ];
  return conditions.filter((c): c is SQL => c !== undefined);
}

/**
 * The dead-letter view: every failed run is dead-lettered when it ends (the worker retries in place until then:
 * backoff for retryable errors, a limit on lapsed leases), so what remains is whether someone retried it since.
 * Exactly the predicate of `executions_search_dead_letter_idx`.
 */
export function deadLetterConditions(): SQL[] {
  return [isNotNull(executions.deadLetteredAt), isNull(executions.retriedAt)];
}

/** `id IN (…)` over ids as the API spells them (the contract refuses others; here they match nothing). */
export function idConditions(ids: string[]): SQL {
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).map(Number);
  return numeric.length > 0 ? inArray(executions.id, numeric) : sql`false`;
}

const stepSummary = sql<{ nodeId: string; status: StepRecord['status'] }[]>`(
  SELECT coalesce(jsonb_agg(jsonb_build_object('nodeId', s.value->'nodeId', 'status', s.value->'status') ORDER BY s.ordinality), '[]'::jsonb)
  FROM jsonb_array_elements(${executions.steps}) WITH ORDINALITY AS s(value, ordinality))`;

const positionOf = sql<string>`(extract(epoch FROM ${executions.createdAt}) * 1000000)::bigint::text`;

export type SearchRow = Awaited<ReturnType<typeof searchOne>>[number];

/**
 * One page, newest first by (created_at, id), keyset-paged. Without an environment, each environment's page is
 * read on its own index and the three are merged: the indexes but the object id's are led by the environment.
 */
export async function search(db: Db, q: SearchQuery): Promise<{ rows: SearchRow[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const environments = q.environment ? [q.environment] : ENVIRONMENTS;
  // A Stripe event id is resolved to the stored events first (their unique index), so the runs are then found by
  // `executions_event_idx` instead of walking an environment's runs for a join that matches one of them.
  const eventRows = q.eventId
    ? await db
        .select({ id: events.id })
        .from(events)
        .where(and(inArray(events.environment, environments), eq(events.stripeId, q.eventId)))
    : undefined;
  if (eventRows?.length === 0) return { rows: [], nextCursor: null };
  const eventIds = eventRows?.map((e) => e.id);
  const pages = await Promise.all(
    environments.map((environment) => searchOne(db, { ...q, environment }, after, eventIds)),
  );
  const merged = pages.flat().sort((a, b) => comparePositions(b, a));
  const rows = merged.slice(0, q.limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: merged.length > q.limit && last ? encodeCursor({ micros: last.position, id: String(last.x.id) }) : null,
  };
}

function comparePositions(a: SearchRow, b: SearchRow): number {
  const byTime = BigInt(a.position) - BigInt(b.position);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return a.x.id - b.x.id;
}

function searchOne(db: Db, q: SearchQuery, after: Position | undefined, eventIds: number[] | undefined) {
  const { steps: _steps, ...columns } = getTableColumns(executions);
  return db
    .select({
      x: columns,
      steps: stepSummary,
      position: positionOf,
      stripeId: events.stripeId,
      type: events.type,
    })
    .from(executions)
    .innerJoin(events, eq(events.id, executions.eventId))
    .where(
      and(
        ...filterConditions(q),
        eventIds ? inArray(executions.eventId, eventIds) : undefined,
        after
          ? sql`(${executions.createdAt}, ${executions.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::bigint)`
          : undefined,
      ),
    )
    .orderBy(desc(executions.createdAt), desc(executions.id))
    .limit(q.limit + 1);
}
