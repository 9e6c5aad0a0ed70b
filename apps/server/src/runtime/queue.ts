import type { StepRecord } from '@switchyard/engine';
import type { Database } from '../db/client.js';
import type { Environment, ExecutionOrigin } from '../db/schema.js';
import type { RecentEvents } from './recent-events.js';

export interface ClaimedRun {
  id: number;
  environment: Environment;
  workflowId: string;
  workflowVersion: number;
  origin: ExecutionOrigin;
  attempt: number;
  steps: StepRecord[];
  eventStripeId: string;
  payload: unknown;
}

export interface RunError {
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
export class RunQueue {
  constructor(
    private readonly database: Database,
    private readonly recentEvents?: RecentEvents,
  ) {}

  async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedRun[]> {
    const rows = await this.database.queryRelaxed<{
      id: string | number;
      environment: Environment;
      workflow_id: string;
      workflow_version: number;
      origin: ExecutionOrigin;
      attempt: number;
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
      steps: (typeof r.steps === 'string' ? JSON.parse(r.steps) : r.steps) as StepRecord[],
      eventStripeId: r.stripe_id,
      payload: payloads.get(Number(r.event_id)),
    }));
  }

  /**
   * Runs whose lease lapsed (their process died or stalled) go back to pending, keeping their step log and
   * claim count, so any process picks them up and resumes after their finished steps.
   */
  async reapLapsedLeases(): Promise<number> {
    const rows = await this.database.queryRelaxed(
      `WITH lapsed AS (SELECT id FROM executions WHERE status = 'running' AND lease_until < now() ORDER BY id FOR UPDATE SKIP LOCKED)
       UPDATE executions x SET status = 'pending', lease_owner = NULL, lease_until = NULL FROM lapsed WHERE x.id = lapsed.id RETURNING x.id`,
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

  /** Persists the step log mid-run, so a crash after a side effect does not repeat it. */
  async saveSteps(owner: string, id: number, steps: StepRecord[]): Promise<boolean> {
    // Synchronous: this record is what stops an HTTP call or an email from being repeated after a crash.
    const rows = await this.database.query(
      `UPDATE executions SET steps = $3::text::jsonb WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [id, owner, JSON.stringify(steps)],
    );
    return rows.length > 0;
  }

  /**
   * Records a run's end. Finishes arriving in the same turn of the event loop share one UPDATE (group commit,
   * as at ingest): at a thousand runs a second, a statement per run would make the database the bottleneck.
   * Answers false when this owner no longer holds the lease (another process took the run over).
   */
  finish(
    owner: string,
    id: number,
    outcome: { status: 'succeeded' | 'failed'; steps: StepRecord[]; error?: RunError; errorNodeId?: string },
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
      const rows = await this.database.queryRelaxed<{ id: string | number; lease_owner: string }>(FINISH, [
        batch.map((f) => f.id),
        batch.map((f) => f.owner),
        batch.map((f) => f.outcome.status),
        batch.map((f) => JSON.stringify(f.outcome.steps)),
        batch.map((f) => (f.outcome.error ? JSON.stringify(f.outcome.error) : null)),
        batch.map((f) => f.outcome.errorNodeId ?? null),
      ]);
      const done = new Set(rows.map((r) => Number(r.id)));
      for (const f of batch) f.resolve(done.has(f.id));
    } catch (error) {
      for (const f of batch) f.reject(error);
    }
  }

  /** Back to pending until `runAt`: a step asked for a retry later than the worker waits in-process. */
  async reschedule(
    owner: string,
    id: number,
    runAt: Date,
    steps: StepRecord[],
    error: RunError,
    errorNodeId?: string,
  ): Promise<boolean> {
    const rows = await this.database.queryRelaxed(
      `UPDATE executions SET status = 'pending', run_at = $3, steps = $4::text::jsonb, error = $5::text::jsonb, error_node_id = $6, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [id, owner, runAt.toISOString(), JSON.stringify(steps), JSON.stringify(error), errorNodeId ?? null],
    );
    return rows.length > 0;
  }
}

interface PendingFinish {
  owner: string;
  id: number;
  outcome: { status: 'succeeded' | 'failed'; steps: StepRecord[]; error?: RunError; errorNodeId?: string };
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
const CLAIM = `WITH candidates AS (
  SELECT e.id FROM executions e
  WHERE e.status = 'pending' AND e.run_at <= now()
    AND NOT EXISTS (
      SELECT 1 FROM executions p
      WHERE p.workflow_id = e.workflow_id AND p.object_id = e.object_id AND p.status IN ('pending', 'running')
        AND (p.event_created < e.event_created OR (p.event_created = e.event_created AND p.id < e.id)))
  ORDER BY e.run_at, e.id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE executions x SET status = 'running', lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond',
  attempt = x.attempt + 1, started_at = COALESCE(x.started_at, now())
FROM candidates c, events ev
WHERE x.id = c.id AND ev.id = x.event_id
RETURNING x.id, x.environment, x.workflow_id, x.workflow_version, x.origin, x.attempt, x.steps, x.event_id, ev.stripe_id`;
