import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionJson, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_runtime_test_secret';

describeEachDriver('runtime', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    for (const [env, path] of [
      ['editor', '/rt/editor'],
      ['staging', '/rt/staging'],
      ['production', '/rt/production'],
    ] as const) {
      expect(
        (
          await t.admin('PUT', `/environments/${env}/stripe`, {
            webhookEnabled: true,
            webhookPath: path,
            webhookSecret: SECRET,
          })
        ).status,
      ).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  const createWorkflow = async (doc: unknown) => {
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; version: number };
  };

  it('rejects an invalid workflow naming the node and the field, and stores nothing', async () => {
    const doc = invoiceWorkflow('broken');
    (doc.nodes[1]!.config as { cases: unknown[] }).cases[1] = { id: 'failed' };
    const before = (await (await t.admin('GET', '/workflows')).json()) as unknown[];
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string }[] };
    expect(body.error).toBe('invalid_workflow');
    expect(body.issues.map((i) => i.path).join(' ')).toMatch(/nodes\[route\]\.config\.cases\[1\]/);
    expect(await (await t.admin('GET', '/workflows')).json()).toHaveLength(before.length);
  });

  it('runs the invoice workflow end to end from a signed webhook', async () => {
    const wf = await createWorkflow(invoiceWorkflow());
    const paid = freshCopy(stripeEvent('invoice.paid'));
    const invoiceId = `in_rt_${paid.id}`;
    paid.data = { ...paid.data, object: { ...paid.data.object, id: invoiceId } };
    expect((await t.deliver('/rt/editor', JSON.stringify(paid), SECRET)).status).toBe(200);

    const [run] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${paid.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    // The branch not taken is recorded as skipped, so the editor can draw the path.
    expect(run!.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['trigger', 'succeeded'],
      ['route', 'succeeded'],
      ['save_paid', 'succeeded'],
      ['save_failed', 'skipped'],
    ]);
    expect(run).toMatchObject({ environment: 'editor', workflowVersion: 1, origin: 'event' });

    const rows = (await (await t.admin('GET', '/environments/editor/tables/invoices/rows?limit=100')).json()) as {
      key: string;
      values: Record<string, unknown>;
    }[];
    expect(rows.find((r) => r.key === invoiceId)?.values).toEqual({
      status: 'paid',
      amount: paid.data.object.amount_paid,
      customer: paid.data.object.customer,
    });

    // The other branch, and an action the trigger does not listen to.
    const failed = freshCopy(stripeEvent('invoice.payment_failed'));
    const created = freshCopy(stripeEvent('invoice.created'));
    await t.deliver('/rt/editor', JSON.stringify(failed), SECRET);
    await t.deliver('/rt/editor', JSON.stringify(created), SECRET);
    const [failedRun] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${failed.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(failedRun!.steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual([
      'trigger',
      'route',
      'save_failed',
    ]);
    expect(await (await t.admin('GET', `/executions?workflowId=${wf.id}&eventId=${created.id}`)).json()).toEqual([]);

    // The event list shows what happened to each event.
    const eventsList = (await (await t.admin('GET', '/environments/editor/events?limit=10')).json()) as {
      id: string;
      status: string;
    }[];
    expect(eventsList.find((e) => e.id === paid.id)?.status).toBe('processed');
    expect(eventsList.find((e) => e.id === created.id)?.status).toBe('received');
  });

  it('runs each event once however often it is delivered', async () => {
    const wf = await createWorkflow(invoiceWorkflow('once'));
    const body = JSON.stringify(freshCopy(stripeEvent('invoice.paid')));
    const id = JSON.parse(body).id as string;
    await Promise.all(Array.from({ length: 10 }, () => t.deliver('/rt/editor', body, SECRET)));
    await t.deliver('/rt/editor', body, SECRET);
    await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${id}`,
      (xs) => xs.length === 1 && xs[0]!.status === 'succeeded',
    );
    await t.services.runtime.worker.stop().then(() => t.services.runtime.worker.start());
    expect(await (await t.admin('GET', `/executions?workflowId=${wf.id}&eventId=${id}`)).json()).toHaveLength(1);
  });

  it('staging and production run only what was published to them; rollback publishes an older version', async () => {
    const savingTo = (table: string) => {
      const doc = invoiceWorkflow('published');
      (doc.nodes.find((n) => n.id === 'save_paid')!.config as { table: string }).table = table;
      return doc;
    };
    const wf = await createWorkflow(savingTo('pub_v1'));
    const sendPaid = async (path: string) => {
      const e = freshCopy(stripeEvent('invoice.paid'));
      await t.deliver(path, JSON.stringify(e), SECRET);
      return e.id;
    };
    // Not published: production ignores it.
    const ignored = await sendPaid('/rt/production');
    expect(await (await t.admin('GET', `/executions?workflowId=${wf.id}&eventId=${ignored}`)).json()).toEqual([]);

    expect(await (await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' })).json()).toEqual({
      environment: 'production',
      version: 1,
    });
    const saved = (await (await t.admin('PUT', `/workflows/${wf.id}`, savingTo('pub_v2'))).json()) as {
      version: number;
      published: { production: number };
    };
    expect(saved).toMatchObject({ version: 2, published: { production: 1, staging: null } });

    const inProd = await sendPaid('/rt/production');
    const inEditor = await sendPaid('/rt/editor');
    const [prodRun] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${inProd}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    const [editorRun] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${inEditor}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(prodRun!.workflowVersion).toBe(1);
    expect(editorRun!.workflowVersion).toBe(2);

    await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production', version: 2 });
    await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production', version: 1 });
    const afterRollback = await sendPaid('/rt/production');
    const [rolledBack] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${afterRollback}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(rolledBack!.workflowVersion).toBe(1);
    const versions = (await (await t.admin('GET', `/workflows/${wf.id}/versions`)).json()) as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("runs one object's events one at a time in created order, and skips stale upserts", async () => {
    const wf = await createWorkflow({
      name: 'subscription state',
      nodes: [
        { id: 'trigger', type: 'stripe.subscription', config: { actions: [] } },
        {
          id: 'save',
          type: 'table.upsert',
          config: {
            table: 'subs',
            key: '{{ context.event.object.id }}',
            values: { status: '{{ context.event.object.status }}', event: '{{ context.event.id }}' },
          },
        },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
    });
    const base = stripeEvent('customer.subscription.updated');
    const objectId = `sub_order_${Date.now()}`;
    const at = (created: number, status: string) =>
      freshCopy(base, { created, data: { ...base.data, object: { ...base.data.object, id: objectId, status } } });
    const older = at(1_800_000_000, 'past_due');
    const newer = at(1_800_000_100, 'active');
    const newest = at(1_800_000_200, 'canceled');
    // Delivered out of order and at once: the worker must still run them by `created`.
    await Promise.all([newest, older, newer].map((e) => t.deliver('/rt/editor', JSON.stringify(e), SECRET)));
    const runs = await t.waitForExecutions(
      `workflowId=${wf.id}`,
      (xs) => xs.length === 3 && xs.every((x) => x.status === 'succeeded'),
    );
    const byEvent = new Map(runs.map((r) => [r.eventId, r]));
    const ordered = [older, newer, newest].map((e) => byEvent.get(e.id)!);
    for (let i = 1; i < ordered.length; i++)
      expect(Date.parse(ordered[i]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(ordered[i - 1]!.finishedAt!));
    const rows = (await (await t.admin('GET', '/environments/editor/tables/subs/rows')).json()) as {
      key: string;
      values: { status: string };
    }[];
    expect(rows.find((r) => r.key === objectId)?.values.status).toBe('canceled');

    // A delivery older than what the row holds is skipped, and the step says so.
    const late = at(1_800_000_050, 'incomplete');
    await t.deliver('/rt/editor', JSON.stringify(late), SECRET);
    const [lateRun] = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${late.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    expect(lateRun!.steps.find((s) => s.nodeId === 'save')?.output).toMatchObject({ skipped: true, reason: 'stale' });
    const after = (await (await t.admin('GET', '/environments/editor/tables/subs/rows')).json()) as {
      key: string;
      values: { status: string };
    }[];
    expect(after.find((r) => r.key === objectId)?.values.status).toBe('canceled');
  });

  describe('with a flaky HTTP endpoint', () => {
    let server: Server;
    let url = '';
    let mode: 'fail' | 'ok' = 'fail';
    const hits: { path: string; key: string | undefined }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        hits.push({ path: req.url ?? '', key: req.headers['idempotency-key'] as string | undefined });
        if (req.url?.startsWith('/audit'))
          return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        if (mode === 'fail') return res.writeHead(503).end('down');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"granted":true}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('retries with backoff, dead-letters after the last attempt, and retries from the failed step', async () => {
      const wf = await createWorkflow({
        name: 'grant access',
        nodes: [
          { id: 'trigger', type: 'stripe.checkout_session', config: { actions: ['completed'] } },
          {
            id: 'audit',
            type: 'http.request',
            config: {
              method: 'POST',
              url: `${url}/audit`,
              body: { type: 'json', value: { event: '{{ context.event.id }}' } },
            },
          },
          {
            id: 'grant',
            type: 'http.request',
            config: {
              method: 'POST',
              url: `${url}/grant`,
              retry: { attempts: 2, backoffMs: 10, factor: 2, maxBackoffMs: 20 },
            },
          },
        ],
        edges: [
          { id: 'e1', source: 'trigger', target: 'audit' },
          { id: 'e2', source: 'audit', target: 'grant' },
        ],
      });
      const event = freshCopy(stripeEvent('checkout.session.completed'));
      await t.deliver('/rt/editor', JSON.stringify(event), SECRET);
      const [failed] = await t.waitForExecutions(`workflowId=${wf.id}`, (xs) => xs[0]?.status === 'failed');
      expect(failed).toMatchObject({ deadLettered: true });
      expect(failed!.error).toMatch(/503/);
      const grant = failed!.steps.find((s) => s.nodeId === 'grant');
      expect(grant).toMatchObject({ status: 'failed', attempt: 2 });
      expect(hits.filter((h) => h.path === '/grant')).toHaveLength(2);
      expect(hits.filter((h) => h.path === '/audit')).toHaveLength(1);

      mode = 'ok';
      const retried = await t.admin('POST', `/executions/${failed!.id}/retry`);
      expect(retried.status).toBe(201);
      const retry = (await retried.json()) as ExecutionJson;
      expect(retry).toMatchObject({ parentId: failed!.id, origin: 'retry' });
      const [done] = await t.waitForExecutions(`workflowId=${wf.id}&status=succeeded`, (xs) => xs.length === 1);
      expect(done!.id).toBe(retry.id);
      // Resumed from the failed step: the audit call was not made again, and keys stay stable across attempts.
      expect(hits.filter((h) => h.path === '/audit')).toHaveLength(1);
      const grantKeys = new Set(hits.filter((h) => h.path === '/grant').map((h) => h.key));
      expect(grantKeys.size).toBe(1);
      expect([...grantKeys][0]).toContain(event.id);
      expect((await t.admin('POST', `/executions/${retry.id}/retry`)).status).toBe(409);
    });
  });

  it('replays a stored event against the current or a chosen version, linked to nothing new but the event', async () => {
    const wf = await createWorkflow(invoiceWorkflow('replayed'));
    await t.admin('PUT', `/workflows/${wf.id}`, invoiceWorkflow('replayed v2'));
    const event = freshCopy(stripeEvent('invoice.paid'));
    await t.deliver('/rt/editor', JSON.stringify(event), SECRET);
    await t.waitForExecutions(`workflowId=${wf.id}&eventId=${event.id}`, (xs) => xs[0]?.status === 'succeeded');
    const res = await t.admin('POST', `/environments/editor/events/${event.id}/replay`, {
      workflowId: wf.id,
      version: 1,
    });
    expect(res.status).toBe(201);
    const [replay] = (await res.json()) as ExecutionJson[];
    expect(replay).toMatchObject({ origin: 'replay', workflowVersion: 1, eventId: event.id });
    const all = await t.waitForExecutions(
      `workflowId=${wf.id}&eventId=${event.id}`,
      (xs) => xs.length === 2 && xs.every((x) => x.status === 'succeeded'),
    );
    expect(all.map((x) => x.origin).sort()).toEqual(['event', 'replay']);
    expect((await t.admin('POST', '/environments/editor/events/evt_nope/replay', {})).status).toBe(404);
  });

  it('test-runs a sample event in the editor environment', async () => {
    const wf = await createWorkflow(invoiceWorkflow('test run'));
    const res = await t.admin('POST', `/workflows/${wf.id}/test-run`, { event: stripeEvent('invoice.payment_failed') });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const [run] = await t.waitForExecutions(
      `workflowId=${wf.id}`,
      (xs) => xs[0]?.id === executionId && xs[0].status === 'succeeded',
    );
    expect(run).toMatchObject({ origin: 'test', environment: 'editor' });
    expect(run!.steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId)).toEqual([
      'trigger',
      'route',
      'save_failed',
    ]);
    expect((await t.admin('GET', `/executions/${executionId}`)).status).toBe(200);
  });
});
