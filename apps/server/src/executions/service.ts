import { randomBytes } from 'node:crypto';
import { BULK_RETRY_LIMIT, type BulkRetryAnswer } from '@switchyard/contract';
import { familyOf, type StepRecord, triggerMatches, triggerOfSelection } from '@switchyard/engine';
import { and, eq } from 'drizzle-orm';
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
import { countRetryable, databaseNow, type RetryVersion, retryWhere, whyNotRetried } from './retry.js';
import { filterConditions, idConditions, type SearchFilter, type SearchQuery, search } from './search.js';

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
  retriedAt: string | null;
  runAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: StepView[];
}

/** A search hit: the execution with only each step's node and status, never its payloads. */
export interface ExecutionSummaryView extends Omit<ExecutionView, 'steps'> {
  steps: { nodeId: string; status: StepRecord['status'] }[];
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

  /** The search: newest first, keyset-paged (search.ts); items carry no step payloads. */
  async list(query: SearchQuery): Promise<{ items: ExecutionSummaryView[]; nextCursor: string | null }> {
    const page = await search(this.db, query);
    return {
      items: page.rows.map((r) => ({ ...presentRecord(r.x, r.stripeId, r.type), steps: r.steps })),
      nextCursor: page.nextCursor,
    };
  }

  async get(id: string): Promise<ExecutionView> {
    const row = await this.#row(id);
    return present(row);
  }

  /**
   * A new execution on the same event, resuming after the steps that succeeded: on the version the failed run
   * ran ('same'), or on the workflow's latest saved version ('latest'), say after a fix.
   */
  async retry(id: string, version: RetryVersion = 'same'): Promise<ExecutionView> {
    const { x } = await this.#row(id);
    if (x.status !== 'failed')
      throw new ConflictError(`execution ${id} is ${x.status}; only failed executions can be retried`);
    const [wf] = await this.db.select({ id: workflows.id }).from(workflows).where(eq(workflows.id, x.workflowId));
    if (!wf) throw new NotFoundError(`workflow ${x.workflowId} no longer exists`);
    // Retrying one run by hand may repeat (say on 'same', then on 'latest' after a fix); bulk retry may not.
    const [created] = await retryWhere(this.db, [idConditions([id])], { version, limit: 1, once: false });
    if (!created) throw new ConflictError(`execution ${id} is being retried by another call`);
    this.onCreated();
    return this.get(created.id);
  }

  /**
   * Bulk retry of the given failed runs or of those matching a filter, at most BULK_RETRY_LIMIT per call, each
   * failed run exactly once (retry.ts): a repeated or concurrent call finds nothing left to retry twice. Ids
   * not retried are answered with the reason. A filter without `to` is bounded by the database's clock now, and
   * that bound answered as `until` for the next calls: the browser's clock is not the one `created_at` is on.
   */
  async retryMany(input: {
    ids?: string[] | undefined;
    filter?: SearchFilter | undefined;
    version: RetryVersion;
  }): Promise<BulkRetryAnswer> {
    const ids = input.ids ? [...new Set(input.ids)] : undefined;
    const filter = input.filter ? { ...input.filter, to: input.filter.to ?? (await databaseNow(this.db)) } : undefined;
    const where = ids ? [idConditions(ids)] : filterConditions(filter ?? {});
    const created = await retryWhere(this.db, where, { version: input.version, limit: BULK_RETRY_LIMIT, once: true });
    if (created.length > 0) this.onCreated();
    // A batch that was not full took every candidate there was (bar rows a concurrent call holds), so only a
    // full one pays for the count, which reads each remaining dead-lettered run's row.
    const remaining = ids || created.length < BULK_RETRY_LIMIT ? 0 : await countRetryable(this.db, where);
    const taken = new Set(created.map((c) => c.parentId));
    const skipped = ids
      ? await whyNotRetried(
          this.db,
          ids.filter((id) => !taken.has(id)),
        )
      : [];
    return {
      retried: created.length,
      remaining,
      executions: created,
      skipped,
      ...(filter ? { until: filter.to } : {}),
    };
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
          eventType: event.type,
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
    let eventRow: { id: number; created: number; objectId: string | null; type: string } | undefined;
    if (input.eventId) {
      [eventRow] = await this.db
        .select({ id: events.id, created: events.created, objectId: events.objectId, type: events.type })
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
        .returning({ id: events.id, created: events.created, objectId: events.objectId, type: events.type });
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
        eventType: eventRow!.type,
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

/** Every field of an execution but its steps. */
function presentRecord(
  x: Omit<typeof executions.$inferSelect, 'steps'>,
  stripeId: string,
  type: string,
): Omit<ExecutionView, 'steps'> {
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
    retriedAt: iso(x.retriedAt),
    runAt: x.runAt.toISOString(),
    createdAt: x.createdAt.toISOString(),
    startedAt: iso(x.startedAt),
    finishedAt: iso(x.finishedAt),
  };
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
  return {
    ...presentRecord(x, stripeId, type),
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
