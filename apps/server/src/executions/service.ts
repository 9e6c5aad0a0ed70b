import { randomBytes } from 'node:crypto';
import { familyOf, type StepRecord, triggerMatches, triggerOfSelection } from '@switchyard/engine';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  deployments,
  type Environment,
  type ExecutionOrigin,
  type ExecutionStatus,
  events,
  executions,
  workflows,
} from '../db/schema.js';
import { isStripeEventId, parseStripeEvent } from '../ingest/stripe-event.js';
import { NotFoundError } from '../workflows/service.js';

export interface StepView {
  nodeId: string;
  stepKey: string;
  nodeType: string;
  status: StepRecord['status'];
  input: unknown;
  output: unknown;
  handles: string[];
  error: string | null;
  errorDetail: Record<string, string | number | boolean> | null;
  attempt: number;
  startedAt: string;
  finishedAt: string;
}

export interface ExecutionView {
  id: string;
  workflowId: string;
  workflowVersion: number;
  environment: Environment;
  eventId: string;
  eventType: string;
  objectId: string | null;
  origin: ExecutionOrigin;
  parentId: string | null;
  status: ExecutionStatus;
  attempt: number;
  error: string | null;
  errorNodeId: string | null;
  deadLettered: boolean;
  runAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: StepView[];
}

export interface ExecutionFilter {
  workflowId?: string | undefined;
  environment?: Environment | undefined;
  status?: ExecutionStatus | undefined;
  eventId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** The record side of runs: listing, detail, and the two ways to run again (retry, replay). */
export class ExecutionService {
  constructor(
    private readonly db: Db,
    private readonly onCreated: () => void,
  ) {}

  async list(filter: ExecutionFilter): Promise<{ items: ExecutionView[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [
      filter.workflowId ? eq(executions.workflowId, filter.workflowId) : undefined,
      filter.environment ? eq(executions.environment, filter.environment) : undefined,
      filter.status ? eq(executions.status, filter.status) : undefined,
      filter.eventId ? eq(events.stripeId, filter.eventId) : undefined,
      filter.cursor && /^\d+$/.test(filter.cursor) ? lt(executions.id, Number(filter.cursor)) : undefined,
    ];
    const rows = await this.db
      .select({ x: executions, stripeId: events.stripeId, type: events.type })
      .from(executions)
      .innerJoin(events, eq(events.id, executions.eventId))
      .where(and(...conditions))
      .orderBy(desc(executions.id))
      .limit(filter.limit + 1);
    const page = rows.slice(0, filter.limit);
    return { items: page.map(present), nextCursor: rows.length > filter.limit ? String(page.at(-1)!.x.id) : null };
  }

  async get(id: string): Promise<ExecutionView> {
    const row = await this.#row(id);
    return present(row);
  }

  /**
   * A new execution on the same event, resuming after the steps that succeeded: on the version the failed run
   * ran ('same'), or on the workflow's latest saved version ('latest'), say after a fix.
   */
  async retry(id: string, version: 'same' | 'latest' = 'same'): Promise<ExecutionView> {
    const { x } = await this.#row(id);
    if (x.status !== 'failed')
      throw new ConflictError(`execution ${id} is ${x.status}; only failed executions can be retried`);
    let workflowVersion = x.workflowVersion;
    if (version === 'latest') {
      const [wf] = await this.db
        .select({ latest: workflows.latestVersion })
        .from(workflows)
        .where(eq(workflows.id, x.workflowId));
      if (!wf) throw new NotFoundError(`workflow ${x.workflowId} no longer exists`);
      workflowVersion = wf.latest;
    }
    const memo = (x.steps as StepRecord[]).filter((s) => s.status === 'succeeded');
    const [created] = await this.db
      .insert(executions)
      .values({
        environment: x.environment,
        workflowId: x.workflowId,
        workflowVersion,
        eventId: x.eventId,
        eventCreated: x.eventCreated,
        objectId: x.objectId,
        origin: 'retry',
        parentId: x.id,
        status: 'pending',
        steps: memo,
      })
      .returning({ id: executions.id });
    this.onCreated();
    return this.get(String(created!.id));
  }

  /**
   * Runs a stored event again from the start: against one workflow (at a chosen or its deployed version) or
   * every workflow deployed in the event's environment whose trigger matches it.
   */
  async replay(
    environment: Environment,
    stripeEventId: string,
    options: { workflowId?: string | undefined; version?: number | undefined },
  ): Promise<ExecutionView[]> {
    const [event] = await this.db
      .select()
      .from(events)
      .where(and(eq(events.environment, environment), eq(events.stripeId, stripeEventId)));
    if (!event) throw new NotFoundError(`event ${stripeEventId} was not received in ${environment}`);
    const deployed = await this.db
      .select()
      .from(deployments)
      .where(
        and(
          eq(deployments.environment, environment),
          options.workflowId ? eq(deployments.workflowId, options.workflowId) : undefined,
        ),
      );
    const targets = options.workflowId
      ? [{ workflowId: options.workflowId, version: options.version ?? deployed[0]?.version }]
      : deployed
          .filter(
            (d) =>
              // A replay through every workflow skips the paused ones; naming a workflow replays it regardless.
              d.enabled && triggerMatches(triggerOfSelection(d.triggerType, d.triggerActions), event.type),
          )
          .map((d) => ({ workflowId: d.workflowId, version: d.version }));
    if (targets.some((t) => t.version === undefined))
      throw new NotFoundError(`workflow ${options.workflowId} is not deployed in ${environment}; pass a version`);
    if (targets.length === 0) return [];
    const created = await this.db
      .insert(executions)
      .values(
        targets.map((t) => ({
          environment,
          workflowId: t.workflowId,
          workflowVersion: t.version!,
          eventId: event.id,
          eventCreated: event.created,
          objectId: event.objectId,
          origin: 'replay' as const,
          status: 'pending' as const,
        })),
      )
      .returning({ id: executions.id });
    this.onCreated();
    return Promise.all(created.map((c) => this.get(String(c.id))));
  }

  /**
   * The editor's test run: the given Stripe event (a sample, say) is stored in the editor environment under a
   * fresh id, so its idempotency keys never collide with a real event's, and run on the latest saved version.
   */
  async testRun(
    workflowId: string,
    version: number,
    input: { event?: unknown; eventId?: string | undefined },
  ): Promise<ExecutionView> {
    let eventRow: { id: number; created: number; objectId: string | null } | undefined;
    if (input.eventId) {
      [eventRow] = await this.db
        .select({ id: events.id, created: events.created, objectId: events.objectId })
        .from(events)
        .where(and(eq(events.environment, 'editor'), eq(events.stripeId, input.eventId)));
      if (!eventRow) throw new NotFoundError(`event ${input.eventId} was not received in the editor environment`);
    } else {
      const source = input.event as Record<string, unknown> | undefined;
      const copy = {
        ...source,
        // Derived from the sample's id when that is a Stripe id with room for the suffix, so it still passes the envelope check.
        id: `${typeof source?.id === 'string' && isStripeEventId(`${source.id}_test_00000000`) ? source.id : 'evt'}_test_${randomBytes(4).toString('hex')}`,
      };
      const raw = JSON.stringify(copy);
      const parsed = parseStripeEvent(raw);
      if (!parsed.ok) throw new InvalidEventError(parsed.message);
      const e = parsed.event;
      [eventRow] = await this.db
        .insert(events)
        .values({
          environment: 'editor',
          stripeId: e.id,
          type: e.type,
          action: e.action,
          family: familyOf(e.type)?.nodeType ?? null,
          objectId: e.objectId,
          created: e.created,
          livemode: e.livemode,
          account: e.account,
          apiVersion: e.apiVersion,
          payload: copy,
          test: true,
        })
        .returning({ id: events.id, created: events.created, objectId: events.objectId });
    }
    const [created] = await this.db
      .insert(executions)
      .values({
        environment: 'editor',
        workflowId,
        workflowVersion: version,
        eventId: eventRow!.id,
        eventCreated: eventRow!.created,
        objectId: eventRow!.objectId,
        origin: 'test',
        status: 'pending',
      })
      .returning({ id: executions.id });
    this.onCreated();
    return this.get(String(created!.id));
  }

  async #row(id: string) {
    if (!/^\d+$/.test(id)) throw new NotFoundError(`execution ${id} does not exist`);
    const [row] = await this.db
      .select({ x: executions, stripeId: events.stripeId, type: events.type })
      .from(executions)
      .innerJoin(events, eq(events.id, executions.eventId))
      .where(eq(executions.id, Number(id)));
    if (!row) throw new NotFoundError(`execution ${id} does not exist`);
    return row;
  }
}

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

function present({
  x,
  stripeId,
  type,
}: {
  x: typeof executions.$inferSelect;
  stripeId: string;
  type: string;
}): ExecutionView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const error = x.error as { message?: string } | null;
  return {
    id: String(x.id),
    workflowId: x.workflowId,
    workflowVersion: x.workflowVersion,
    environment: x.environment,
    eventId: stripeId,
    eventType: type,
    objectId: x.objectId,
    origin: x.origin,
    parentId: x.parentId === null ? null : String(x.parentId),
    status: x.status,
    attempt: x.attempt,
    error: error?.message ?? null,
    errorNodeId: x.errorNodeId,
    deadLettered: x.deadLetteredAt !== null,
    runAt: x.runAt.toISOString(),
    createdAt: x.createdAt.toISOString(),
    startedAt: iso(x.startedAt),
    finishedAt: iso(x.finishedAt),
    steps: (x.steps as StepRecord[]).map((s) => ({
      nodeId: s.nodeId,
      stepKey: s.stepKey,
      nodeType: s.nodeType,
      status: s.status,
      input: s.input ?? null,
      output: s.output ?? null,
      handles: s.handles ?? [],
      error: s.error?.message ?? null,
      errorDetail: s.error ? (JSON.parse(JSON.stringify(s.error)) as Record<string, string | number | boolean>) : null,
      attempt: s.attempt,
      startedAt: new Date(s.startedAt).toISOString(),
      finishedAt: new Date(s.finishedAt).toISOString(),
    })),
  };
}
