import type { EventWorkflow } from '@switchyard/contract';
import { triggerMismatch, triggerOfSelection } from '@switchyard/engine';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { deployments, type Environment, events, executions, workflows } from '../db/schema.js';
import { type EventStatus, eventStatus } from './status.js';

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
        status: eventStatus,
        test: events.test,
      })
      .from(events)
      .where(
        and(
          eq(events.environment, environment),
          query.type ? eq(events.type, query.type) : undefined,
          before === undefined ? undefined : lt(events.id, before),
        ),
      )
      .orderBy(desc(events.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ rowId: _rowId, receivedAt, ...rest }) => ({ ...rest, receivedAt: receivedAt.toISOString() })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.rowId) : null,
    };
  }

  async get(
    environment: Environment,
    stripeId: string,
  ): Promise<(EventSummary & { payload: unknown; workflows: EventWorkflow[] }) | undefined> {
    const [found] = await this.db
      .select({ row: events, status: eventStatus })
      .from(events)
      .where(and(eq(events.environment, environment), eq(events.stripeId, stripeId)));
    if (!found) return undefined;
    const { row, status } = found;
    return {
      id: row.stripeId,
      type: row.type,
      action: row.action,
      objectId: row.objectId,
      created: row.created,
      livemode: row.livemode,
      receivedAt: row.receivedAt.toISOString(),
      status,
      test: row.test,
      payload: row.payload,
      workflows: await this.#why(environment, row.id, row.type),
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
