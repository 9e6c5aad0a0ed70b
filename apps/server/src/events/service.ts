import type { EventWorkflow } from '@switchyard/contract';
import { triggerMismatch, triggerOfSelection } from '@switchyard/engine';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { deployments, type Environment, events, executions, workflows } from '../db/schema.js';
import { type EventStatus, statusesOf } from './status.js';

export interface EventSummary {
  id: string;
  type: string;
  action: string;
  objectId: string | null;
  created: number;
  livemode: boolean;
  receivedAt: string;
  status: EventStatus;
  test: boolean;
}

export interface EventListQuery {
  limit: number;
  type?: string | undefined;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export class EventService {
  constructor(private readonly db: Db) {}

  async list(
    environment: Environment,
    query: EventListQuery,
  ): Promise<{ items: EventSummary[]; nextCursor: string | null }> {
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const ids = query.type ? await this.#idsOfTypes(environment, query.type, before, query.limit + 1) : undefined;
    if (ids?.length === 0) return { items: [], nextCursor: null };
    const rows = await this.db
      .select({
        rowId: events.id,
        id: events.stripeId,
        type: events.type,
        action: events.action,
        objectId: events.objectId,
        created: events.created,
        livemode: events.livemode,
        receivedAt: events.receivedAt,
        test: events.test,
      })
      .from(events)
      .where(
        and(
          eq(events.environment, environment),
          ids ? inArray(events.id, ids) : undefined,
          before === undefined ? undefined : lt(events.id, before),
        ),
      )
      .orderBy(desc(events.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const statuses = await statusesOf(
      this.db,
      page.map((r) => r.rowId),
    );
    const last = page.at(-1);
    return {
      items: page.map(({ rowId, receivedAt, ...rest }) => ({
        ...rest,
        receivedAt: receivedAt.toISOString(),
        status: statuses.get(rowId)!,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.rowId) : null,
    };
  }

  /**
   * The newest `limit` events (below `before`) whose type starts with `prefix` (`invoice` finds `invoice.paid`).
   * The types that match are found by skipping through the (environment, type, id) index one distinct type at a
   * time, then each type's newest rows are read from the same index in id order: the cost is the number of
   * matching types times the page, whatever the history holds, where one range scan over the prefix would sort
   * every matching event to find the newest. `~>=~`/`~<~` are the byte-wise operators of `text_pattern_ops`.
   */
  async #idsOfTypes(
    environment: Environment,
    prefix: string,
    before: number | undefined,
    limit: number,
  ): Promise<number[]> {
    // PostgreSQL text cannot hold NUL, so no stored type contains one.
    if (prefix.includes('\u0000')) return [];
    // Above every string that starts with the prefix (then anything but U+10FFFF, the last code point, which no
    // Stripe type holds): the operators compare UTF-8 bytes.
    const upper = `${prefix}\u{10FFFF}`;
    const below = before ?? Number.MAX_SAFE_INTEGER;
    const result = await this.db.execute<{ id: string }>(sql`WITH RECURSIVE t(type) AS (
        (SELECT e.type FROM events e WHERE e.environment = ${environment} AND e.type ~>=~ ${prefix} AND e.type ~<~ ${upper}
          ORDER BY e.type USING ~<~ LIMIT 1)
        UNION ALL
        SELECT (SELECT e.type FROM events e WHERE e.environment = ${environment} AND e.type ~>~ t.type AND e.type ~<~ ${upper}
          ORDER BY e.type USING ~<~ LIMIT 1)
        FROM t WHERE t.type IS NOT NULL
      )
      SELECT p.id::text AS id FROM t, LATERAL (
        SELECT e.id FROM events e WHERE e.environment = ${environment} AND e.type = t.type AND e.id < ${below}
        ORDER BY e.id DESC LIMIT ${limit}
      ) p
      ORDER BY p.id DESC LIMIT ${limit}`);
    // postgres.js answers an array of rows, PGlite an object holding them.
    const rows = Array.isArray(result) ? result : (result as unknown as { rows: { id: string }[] }).rows;
    return rows.map((r) => Number(r.id));
  }

  async get(
    environment: Environment,
    stripeId: string,
  ): Promise<(EventSummary & { payload: unknown; workflows: EventWorkflow[] }) | undefined> {
    const [row] = await this.db
      .select()
      .from(events)
      .where(and(eq(events.environment, environment), eq(events.stripeId, stripeId)));
    if (!row) return undefined;
    const [statuses, why] = await Promise.all([
      statusesOf(this.db, [row.id]),
      this.#why(environment, row.id, row.type),
    ]);
    return {
      id: row.stripeId,
      type: row.type,
      action: row.action,
      objectId: row.objectId,
      created: row.created,
      livemode: row.livemode,
      receivedAt: row.receivedAt.toISOString(),
      status: statuses.get(row.id)!,
      test: row.test,
      payload: row.payload,
      workflows: why,
    };
  }

  /**
   * Why each of the environment's workflows ran on the event or not, from what is deployed now: a workflow
   * published, resumed or re-triggered since the event arrived says `not running then`.
   */
  async #why(environment: Environment, eventRowId: number, eventType: string): Promise<EventWorkflow[]> {
    const [all, deployed, ran] = await Promise.all([
      this.db.select({ id: workflows.id, name: workflows.name }).from(workflows).orderBy(asc(workflows.name)),
      this.db.select().from(deployments).where(eq(deployments.environment, environment)),
      this.db
        .selectDistinct({ workflowId: executions.workflowId })
        .from(executions)
        .where(eq(executions.eventId, eventRowId)),
    ]);
    const ranIds = new Set(ran.map((r) => r.workflowId));
    return all.map(({ id, name }) => {
      if (ranIds.has(id)) return { workflowId: id, name, ran: true, reason: 'ran' };
      const d = deployed.find((x) => x.workflowId === id);
      const reason: EventWorkflow['reason'] = !d
        ? 'not published here'
        : (triggerMismatch(triggerOfSelection(d.triggerType, d.triggerActions), eventType) ??
          (!d.enabled ? 'paused' : 'not running then'));
      return { workflowId: id, name, ran: false, reason };
    });
  }
}

function encodeCursor(rowId: number): string {
  return Buffer.from(String(rowId)).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const rowId = Number(Buffer.from(cursor, 'base64url').toString());
  return Number.isSafeInteger(rowId) ? rowId : undefined;
}
