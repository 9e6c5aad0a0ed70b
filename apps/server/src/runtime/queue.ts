import type { StepRecord } from '@switchyard/engine';
import type { Database } from '../db/client.js';
import { isRowDataError, rowErrorReason, toJsonbText, toNullableJsonbText, toStorableText } from '../db/json-safe.js';
import type { Environment, ExecutionOrigin } from '../db/schema.js';
import type { RecentEvents } from './recent-events.js';

export interface ClaimedExecution {
  id: number;
  environment: Environment;
  workflowId: string;
  workflowVersion: number;
  origin: ExecutionOrigin;
  /** Claims so far, this one included; a reschedule counts too (it paces retries that are not the engine's). */
  attempt: number;
  /**
   * Claims that ended with the lease lapsing (the process died or stalled), not with a recorded outcome: what the
   * dead-letter limit counts, so a run that keeps retrying on schedule is never dead-lettered for its claims.
   */
  lapsedLeases: number;
  steps: StepRecord[];
  eventStripeId: string;
  payload: unknown;
}

export interface ExecutionError {
  message: string;
  name?: string;
  [key: string]: unknown;
}

/**
 * The executions table as a queue: claims with FOR UPDATE SKIP LOCKED and a lease, so any number of
 * processes share the work and a run held by a dead process is claimed again once its lease lapses.
 * Per-object ordering: a run is claimable only when no earlier run of the same workflow for the same Stripe
 * object (by event `created`, then id) is still pending or running.
 */
export class ExecutionQueue {
  constructor(
    private readonly database: Database,
    private readonly recentEvents?: RecentEvents,
  ) {}

  async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedExecution[]> {
    const rows = await this.database.queryRelaxed<{
      id: string | number;
      environment: Environment;
      workflow_id: string;
      workflow_version: number;
      origin: ExecutionOrigin;
      attempt: number;
      lapsed_leases: number;
      steps: StepRecord[] | string;
      event_id: string | number;
      stripe_id: string;
    }>(CLAIM, [owner, limit, leaseMs]);
    const payloads = new Map<number, unknown>();
    const missing: number[] = [];
    for (const r of rows) {
      const eventId = Number(r.event_id);
      const recent = this.recentEvents?.take(eventId);
      if (recent !== undefined) payloads.set(eventId, recent);
      else missing.push(eventId);
    }
    if (missing.length > 0) {
      const stored = await this.database.queryRelaxed<{ id: string | number; payload: unknown }>(
        `SELECT id, payload FROM events WHERE id = ANY($1::bigint[])`,
        [missing],
      );
      for (const e of stored)
        payloads.set(Number(e.id), typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload);
    }
    return rows.map((r) => ({
      id: Number(r.id),
      environment: r.environment,
      workflowId: r.workflow_id,
      workflowVersion: r.workflow_version,
      origin: r.origin,
      attempt: r.attempt,
      lapsedLeases: r.lapsed_leases,
      steps: (typeof r.steps === 'string' ? JSON.parse(r.steps) : r.steps) as StepRecord[],
      eventStripeId: r.stripe_id,
      payload: payloads.get(Number(r.event_id)),
    }));
  }

  /**
   * Runs whose lease lapsed (their process died or stalled) go back to pending, keeping their step log and
   * claim count, so any process picks them up and resumes after their finished steps. Each lapse is counted: it is
   * the crash the dead-letter limit bounds.
   */
  async reapLapsedLeases(): Promise<number> {
    const rows = await this.database.queryRelaxed(
      `WITH lapsed AS (SELECT id FROM executions WHERE status = 'running' AND lease_until < now() ORDER BY id FOR UPDATE SKIP LOCKED)
       UPDATE executions x SET status = 'pending', lease_owner = NULL, lease_until = NULL, lapsed_leases = x.lapsed_leases + 1
       FROM lapsed WHERE x.id = lapsed.id RETURNING x.id`,
      [],
    );
    return rows.length;
  }

  /** Extends the leases of runs still being worked on; answers the ids whose lease this owner no longer holds. */
  async heartbeat(owner: string, ids: number[], leaseMs: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const held = await this.database.queryRelaxed<{ id: string | number }>(
      // Rows are locked in id order, as FINISH and the reaper do, so concurrent batches cannot deadlock.
      `WITH held AS (SELECT id FROM executions WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND status = 'running' ORDER BY id FOR UPDATE)
       UPDATE executions x SET lease_until = now() + $3 * interval '1 millisecond' FROM held WHERE x.id = held.id RETURNING x.id`,
      [ids, owner, leaseMs],
    );
    const still = new Set(held.map((r) => Number(r.id)));
    return ids.filter((id) => !still.has(id));
  }

  /**
   * Persists the step log mid-run, so a crash after a side effect does not repeat it. When the database refuses
   * the record for its content (rare: values are made storable first), the run is recorded as failed at that step,
   * with the effect marked done, and this throws: a run left to be claimed again would repeat the effect.
   */
  async saveSteps(owner: string, id: number, steps: StepRecord[]): Promise<boolean> {
    try {
      // Synchronous: this record is what stops an HTTP call or an email from being repeated after a crash.
      const rows = await this.database.query(
        `UPDATE executions SET steps = $3::text::jsonb WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [id, owner, toJsonbText(steps)],
      );
      return rows.length > 0;
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      const last = steps.at(-1);
      const reason = `the record of step ${last?.stepKey ?? '?'} could not be stored: ${rowErrorReason(error)}`;
      const kept = steps.map((s) => (s === last ? withoutValues(s, reason) : s));
      const failed = await this.#failUnstorable(owner, id, reason, kept, last?.nodeId);
      throw new RunRecordError(
        failed
          ? `run ${id}: ${reason}; the run is recorded as failed so the step's effect is not repeated`
          : `run ${id}: ${reason}`,
        failed,
      );
    }
  }

  /**
   * Ends a run whose own record the database refused: failed, with the reason, not to be claimed again. `steps`
   * replaces the log when given and storable; otherwise the log saved last stays, and it holds every finished
   * side effect, as those are saved before the run goes on.
   */
  async #failUnstorable(
    owner: string,
    id: number,
    reason: string,
    steps: StepRecord[] | undefined,
    nodeId: string | undefined,
  ): Promise<boolean> {
    const error = toJsonbText({ name: 'StorageError', message: reason });
    const fail = (withSteps: boolean) =>
      this.database.query(
        `UPDATE executions SET status = 'failed', ${withSteps ? 'steps = $5::text::jsonb, ' : ''}error = $3::text::jsonb,
           error_node_id = $4, finished_at = now(), lease_owner = NULL, lease_until = NULL, dead_lettered_at = now()
         WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [
          id,
          owner,
          error,
          nodeId === undefined ? null : toStorableText(nodeId),
          ...(withSteps ? [toJsonbText(steps)] : []),
        ],
      );
    try {
      if (steps) return (await fail(true)).length > 0;
    } catch (e) {
      if (!isRowDataError(e)) throw e;
    }
    return (await fail(false)).length > 0;
  }

  /**
   * Records a run's end. Finishes arriving in the same turn of the event loop share one UPDATE (group commit,
   * as at ingest): at a thousand runs a second, a statement per run would make the database the bottleneck.
   * Answers false when this owner no longer holds the lease (another process took the run over).
   */
  finish(
    owner: string,
    id: number,
    outcome: { status: 'succeeded' | 'failed'; steps: StepRecord[]; error?: ExecutionError; errorNodeId?: string },
  ): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#finishing.push({ owner, id, outcome, resolve, reject });
      if (this.#finishing.length === 1) setImmediate(() => void this.#flushFinishing());
    });
  }

  readonly #finishing: PendingFinish[] = [];

  async #flushFinishing(): Promise<void> {
    const batch = this.#finishing.splice(0);
    try {
      const done = await this.#finishRows(batch);
      for (const f of batch) f.resolve(done.has(f.id));
    } catch (error) {
      if (!isRowDataError(error) || batch.length === 1) return this.#settleAlone(batch, error);
      // One run's record refused for its content: finish the runs one by one, so only that one is affected.
      for (const [i, f] of batch.entries()) {
        try {
          f.resolve((await this.#finishRows([f])).has(f.id));
        } catch (rowError) {
          // The database itself failed meanwhile: the rest would only fail the same way.
          if (!isRowDataError(rowError)) return this.#settleAlone(batch.slice(i), rowError);
          await this.#settleAlone([f], rowError);
        }
      }
    }
  }

  async #finishRows(batch: PendingFinish[]): Promise<Set<number>> {
    const rows = await this.database.queryRelaxed<{ id: string | number }>(FINISH, [
      batch.map((f) => f.id),
      batch.map((f) => f.owner),
      batch.map((f) => f.outcome.status),
      batch.map((f) => toJsonbText(f.outcome.steps)),
      batch.map((f) => toNullableJsonbText(f.outcome.error)),
      batch.map((f) => (f.outcome.errorNodeId === undefined ? null : toStorableText(f.outcome.errorNodeId))),
    ]);
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * A finish that failed on its own. A refused record becomes a failed run with the storage error (its effects
   * are in the log saved earlier, so it must not be claimed and run again); any other failure is the database's.
   */
  async #settleAlone(batch: PendingFinish[], error: unknown): Promise<void> {
    if (!isRowDataError(error)) {
      for (const f of batch) f.reject(error);
      return;
    }
    for (const f of batch) {
      const reason = `the run's record could not be stored: ${rowErrorReason(error)}`;
      try {
        const failed = await this.#failUnstorable(f.owner, f.id, reason, undefined, f.outcome.errorNodeId);
        f.reject(
          new RunRecordError(`run ${f.id}: ${reason}${failed ? '; the run is recorded as failed' : ''}`, failed),
        );
      } catch (e) {
        f.reject(e);
      }
    }
  }

  /**
   * Back to pending until `runAt`: a step asked for a retry later than the worker waits in-process. `runAt` is
   * clamped to [now, now + 30 days]; an Invalid Date or non-finite time is a bug upstream and waits a minute.
   */
  async reschedule(
    owner: string,
    id: number,
    runAt: Date,
    steps: StepRecord[],
    error: ExecutionError,
    errorNodeId?: string,
  ): Promise<boolean> {
    const nodeId = errorNodeId === undefined ? null : toStorableText(errorNodeId);
    try {
      const rows = await this.database.queryRelaxed(
        `UPDATE executions SET status = 'pending', run_at = $3, steps = $4::text::jsonb, error = $5::text::jsonb, error_node_id = $6, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [id, owner, clampRunAt(runAt, Date.now()).toISOString(), toJsonbText(steps), toJsonbText(error), nodeId],
      );
      return rows.length > 0;
    } catch (e) {
      if (!isRowDataError(e)) throw e;
      const reason = `the run's record could not be stored: ${rowErrorReason(e)}`;
      const failed = await this.#failUnstorable(owner, id, reason, undefined, errorNodeId);
      throw new RunRecordError(`run ${id}: ${reason}${failed ? '; the run is recorded as failed' : ''}`, failed);
    }
  }
}

/** The run's own record was refused by the database; the run was ended as failed rather than left to repeat. */
export class RunRecordError extends Error {
  override name = 'RunRecordError';
  /** The run was recorded as failed (this owner still held it): a dead letter like any other. */
  constructor(
    message: string,
    readonly recorded: boolean,
  ) {
    super(message);
  }
}

export const MAX_RESCHEDULE_MS = 30 * 24 * 3_600_000;
const INVALID_RUN_AT_DELAY_MS = 60_000;

/** A time the database accepts and the queue can wait for. */
export function clampRunAt(runAt: Date, now: number): Date {
  const at = runAt instanceof Date ? runAt.getTime() : Number.NaN;
  if (Number.isNaN(at)) return new Date(now + INVALID_RUN_AT_DELAY_MS);
  return new Date(Math.min(Math.max(at, now), now + MAX_RESCHEDULE_MS));
}

/** A step record stripped of the values that could not be stored, marked failed with the reason. */
function withoutValues(step: StepRecord, reason: string): StepRecord {
  const { input: _input, output: _output, ...rest } = step;
  return { ...rest, status: 'failed', error: { name: 'StorageError', message: reason, retryable: false } };
}

interface PendingFinish {
  owner: string;
  id: number;
  outcome: { status: 'succeeded' | 'failed'; steps: StepRecord[]; error?: ExecutionError; errorNodeId?: string };
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

const FINISH = `WITH v AS (
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, owner, status, steps, error, error_node_id)
), held AS (
  SELECT x.id FROM executions x JOIN v ON v.id = x.id AND x.lease_owner = v.owner ORDER BY x.id FOR UPDATE OF x
)
UPDATE executions x SET status = v.status, steps = v.steps::jsonb, error = v.error::jsonb, error_node_id = v.error_node_id,
  finished_at = now(), lease_owner = NULL, lease_until = NULL, dead_lettered_at = CASE WHEN v.status = 'failed' THEN now() END
FROM v, held
WHERE x.id = v.id AND held.id = v.id
RETURNING x.id`;

// Per-object ordering is the NOT EXISTS: the earliest unfinished run of a workflow for an object blocks the rest.
// OFFSET 0 keeps it a subplan probed per candidate through executions_object_idx by workflow and object. Without it
// PostgreSQL may turn it into an anti join that scans the whole partial index for every candidate: it does once a
// vacuum has counted that index while the queue was empty (it then believes the index holds one row), which on a
// table of a million finished runs is most of the time, and a backlog of 3,000 made each claim take 0.5 s.
const CLAIM = `WITH candidates AS (
  SELECT e.id FROM executions e
  WHERE e.status = 'pending' AND e.run_at <= now()
    AND NOT EXISTS (
      SELECT 1 FROM executions p
      WHERE p.workflow_id = e.workflow_id AND p.object_id = e.object_id AND p.status IN ('pending', 'running')
        AND (p.event_created < e.event_created OR (p.event_created = e.event_created AND p.id < e.id))
      OFFSET 0)
  ORDER BY e.run_at, e.id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE executions x SET status = 'running', lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond',
  attempt = x.attempt + 1, started_at = COALESCE(x.started_at, now())
FROM candidates c, events ev
WHERE x.id = c.id AND ev.id = x.event_id
RETURNING x.id, x.environment, x.workflow_id, x.workflow_version, x.origin, x.attempt, x.lapsed_leases, x.steps, x.event_id, ev.stripe_id`;
