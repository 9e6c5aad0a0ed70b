import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';

/**
 * Prometheus metrics. Counters and the latency histogram are this process's; the queue gauges are read from
 * the database at scrape time, so every process reports the same shared queue. Alert on
 * `switchyard_oldest_pending_run_age_seconds`: a stuck queue shows there before any count looks wrong.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({
    name: 'switchyard_webhook_deliveries_total',
    help: 'Webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly ingestSeconds = new Histogram({
    name: 'switchyard_ingest_duration_seconds',
    help: 'Time from request to answer for webhook deliveries',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly runsFinished = new Counter({
    name: 'switchyard_runs_finished_total',
    help: 'Runs finished by this process, by outcome',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor(database: Database) {
    // One query per scrape feeds all four gauges; each gauge's collect() awaits the same promise.
    let scrape: Promise<void> | undefined;
    const collect = () =>
      (scrape ??= database
        .query<{ pending: string; running: string; due: string; oldest: number | string | null; dead: string }>(
          QUEUE_STATE,
          [],
        )
        .then(([row]) => {
          runs.set({ status: 'pending' }, Number(row?.pending ?? 0));
          runs.set({ status: 'running' }, Number(row?.running ?? 0));
          depth.set(Number(row?.due ?? 0));
          age.set(Number(row?.oldest ?? 0));
          deadLettered.set(Number(row?.dead ?? 0));
        })
        .finally(() => {
          scrape = undefined;
        }));
    const registers = [this.registry];
    const runs = new Gauge({
      name: 'switchyard_runs',
      help: 'Unfinished runs by status (pending includes scheduled retries)',
      labelNames: ['status'] as const,
      registers,
      collect,
    });
    const depth = new Gauge({
      name: 'switchyard_queue_depth',
      help: 'Runs due now and not yet claimed',
      registers,
      collect,
    });
    const age = new Gauge({
      name: 'switchyard_oldest_pending_run_age_seconds',
      help: 'Age of the oldest run due and not yet claimed; 0 when none',
      registers,
      collect,
    });
    const deadLettered = new Gauge({
      name: 'switchyard_dead_lettered_runs',
      help: 'Runs that failed after their last attempt',
      registers,
      collect,
    });
  }
}

const QUEUE_STATE = `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'running') AS running,
       count(*) FILTER (WHERE status = 'pending' AND run_at <= now()) AS due,
       COALESCE(EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE status = 'pending' AND run_at <= now())), 0)::float8 AS oldest,
       (SELECT count(*) FROM executions WHERE dead_lettered_at IS NOT NULL AND status = 'failed') AS dead
FROM executions WHERE status IN ('pending', 'running')`;
