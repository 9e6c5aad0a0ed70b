import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pruneOnce } from '../src/operations/retention.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_operations_secret';

describeEachDriver('operations', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    await t.admin('PUT', '/environments/staging/stripe', {
      webhookEnabled: true,
      webhookPath: '/ops',
      webhookSecret: SECRET,
    });
  });
  afterAll(() => t?.stop());

  it('exposes Prometheus metrics: deliveries by outcome, ingest latency, runs, queue depth and oldest pending age', async () => {
    const wf = (await (await t.admin('POST', '/workflows', invoiceWorkflow('metrics'))).json()) as { id: string };
    await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'staging' });
    const event = freshCopy(stripeEvent('invoice.paid'));
    await t.deliver('/ops', JSON.stringify(event), SECRET);
    await t.deliver('/ops', JSON.stringify(event), SECRET);
    await t.deliver('/ops', JSON.stringify(event), 'whsec_wrong');
    await t.waitForExecutions(`workflowId=${wf.id}`, (xs) => xs[0]?.status === 'succeeded');

    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/switchyard_webhook_deliveries_total\{outcome="stored"\} 1/);
    expect(text).toMatch(/switchyard_webhook_deliveries_total\{outcome="duplicate"\} 1/);
    expect(text).toMatch(/switchyard_webhook_deliveries_total\{outcome="bad_signature"\} 1/);
    expect(text).toMatch(/switchyard_ingest_duration_seconds_count 3/);
    expect(text).toMatch(/switchyard_runs_finished_total\{status="succeeded"\} 1/);
    expect(text).toMatch(/switchyard_queue_depth 0/);
    expect(text).toMatch(/switchyard_oldest_pending_run_age_seconds 0/);
    expect(text).toMatch(/switchyard_runs\{status="pending"\} 0/);
    expect(text).not.toContain(SECRET);
  });

  it('reports the age of the oldest run waiting, so alerts fire on a stuck queue', async () => {
    await t.stop();
    const wf = (await (await t.admin('POST', '/workflows', invoiceWorkflow('stuck'))).json()) as { id: string };
    await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'staging' });
    await t.deliver('/ops', JSON.stringify(freshCopy(stripeEvent('invoice.paid'))), SECRET);
    await ctx.database.db.execute(
      sql`UPDATE executions SET run_at = now() - interval '90 seconds' WHERE status = 'pending'`,
    );
    const text = await (await t.app.request('/metrics')).text();
    // Both workflows published to staging match the event: two runs wait.
    expect(text).toMatch(/switchyard_queue_depth 2/);
    const age = Number(/^switchyard_oldest_pending_run_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    await t.start();
    await t.waitForExecutions(
      'environment=staging',
      (xs) => xs.length === 3 && xs.every((x) => x.status === 'succeeded'),
    );
  });

  it('prunes events and executions past the retention period in batches, keeping data tables and unfinished runs', async () => {
    await ctx.database.db.execute(sql`UPDATE events SET received_at = now() - interval '40 days'`);
    const keep = freshCopy(stripeEvent('invoice.paid'));
    await t.deliver('/ops', JSON.stringify(keep), SECRET);
    await t.waitForExecutions(
      `eventId=${keep.id}`,
      (xs) => xs.length === 2 && xs.every((x) => x.status === 'succeeded'),
    );
    const rowsBefore = (await (await t.admin('GET', '/environments/staging/tables/invoices/rows')).json()) as unknown[];
    expect(rowsBefore.length).toBeGreaterThan(0);
    const { events } = await pruneOnce(ctx.database, { days: 30, batchSize: 1 });
    expect(events).toBe(2);
    const left = await ctx.database.query<{ stripe_id: string }>('SELECT stripe_id FROM events', []);
    expect(left.map((r) => r.stripe_id)).toEqual([keep.id]);
    const orphans = await ctx.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM executions x WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = x.event_id)',
      [],
    );
    expect(orphans[0]!.n).toBe(0);
    expect(await (await t.admin('GET', '/environments/staging/tables/invoices/rows')).json()).toEqual(rowsBefore);
  });
});
