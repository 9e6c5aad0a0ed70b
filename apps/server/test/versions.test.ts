import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExecutionJson, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';
import { invoiceWorkflow } from './support/workflows.js';

const SECRET = 'whsec_versions_test_secret';

interface WorkflowJson {
  id: string;
  version: number;
  etag: string;
  draft: { name: string } | null;
  document: { name: string };
  published: { staging: number | null; production: number | null };
}

describeEachDriver('versions, drafts and retries', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    for (const env of ['editor', 'staging', 'production'] as const) {
      const res = await t.admin('PUT', `/environments/${env}/stripe`, {
        webhookEnabled: true,
        webhookPath: `/ver/${env}`,
        webhookSecret: SECRET,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  const savingTo = (table: string, name = 'versions') => {
    const doc = invoiceWorkflow(name);
    (doc.nodes.find((n) => n.id === 'save_paid')!.config as { table: string }).table = table;
    return doc;
  };
  const create = async (doc: unknown) => {
    const res = await t.admin('POST', '/workflows', doc);
    expect(res.status).toBe(201);
    return (await res.json()) as WorkflowJson;
  };
  const put = (path: string, body: unknown, ifMatch?: string) =>
    t.app.request(`/admin/api${path}`, {
      method: 'PUT',
      headers: {
        authorization: 'Bearer test-admin-token',
        'content-type': 'application/json',
        ...(ifMatch ? { 'if-match': ifMatch } : {}),
      },
      body: JSON.stringify(body),
    });
  /** Delivers an invoice.paid to the environment and answers the version its run ran. */
  const versionRunIn = async (env: string, workflowId: string) => {
    const e = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver(`/ver/${env}`, JSON.stringify(e), SECRET)).status).toBe(200);
    const [run] = await t.waitForExecutions(
      `workflowId=${workflowId}&eventId=${e.id}`,
      (xs) => xs[0]?.status === 'succeeded',
    );
    return run!.workflowVersion;
  };

  it('publishes any version: after v3, publishing v2 to production makes production run v2', async () => {
    const wf = await create(savingTo('ver_v1'));
    expect((await put(`/workflows/${wf.id}`, savingTo('ver_v2'))).status).toBe(200);
    expect((await put(`/workflows/${wf.id}`, savingTo('ver_v3'))).status).toBe(200);
    const published = await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production' });
    expect(await published.json()).toEqual({ environment: 'production', version: 3 });
    expect(await versionRunIn('production', wf.id)).toBe(3);

    const rollback = await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'production', version: 2 });
    expect(await rollback.json()).toEqual({ environment: 'production', version: 2 });
    expect(await versionRunIn('production', wf.id)).toBe(2);
    // The editor environment still runs the latest saved version.
    expect(await versionRunIn('editor', wf.id)).toBe(3);

    const missing = await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'staging', version: 9 });
    expect(missing.status).toBe(404);
    expect(((await (await t.admin('GET', `/workflows/${wf.id}`)).json()) as WorkflowJson).published).toEqual({
      staging: null,
      production: 2,
    });
  });

  it('autosaves a draft that creates no version and that the editor environment does not run', async () => {
    const wf = await create(savingTo('draft_v1', 'drafts'));
    const draft = await put(`/workflows/${wf.id}/draft`, savingTo('draft_unsaved', 'drafts renamed'));
    expect(draft.status).toBe(200);
    const drafted = (await draft.json()) as WorkflowJson;
    expect(drafted).toMatchObject({ version: 1, draft: { name: 'drafts renamed' }, document: { name: 'drafts' } });
    expect(drafted.etag).not.toBe(wf.etag);

    const versions = (await (await t.admin('GET', `/workflows/${wf.id}/versions`)).json()) as unknown[];
    expect(versions).toHaveLength(1);
    expect(await versionRunIn('editor', wf.id)).toBe(1);

    // Save turns the draft into v2, which the editor environment then runs.
    const saved = (await (
      await put(`/workflows/${wf.id}`, savingTo('draft_saved', 'drafts'), drafted.etag)
    ).json()) as WorkflowJson;
    expect(saved).toMatchObject({ version: 2, draft: null });
    expect(await versionRunIn('editor', wf.id)).toBe(2);

    // Publishing without a version saves a pending draft as a version first, and publishes that.
    await put(`/workflows/${wf.id}/draft`, savingTo('draft_published', 'drafts'));
    const published = await t.admin('POST', `/workflows/${wf.id}/publish`, { environment: 'staging' });
    expect(await published.json()).toEqual({ environment: 'staging', version: 3 });
    expect(((await (await t.admin('GET', `/workflows/${wf.id}`)).json()) as WorkflowJson).draft).toBeNull();
  });

  it('answers an ETag, and refuses a stale If-Match with 412 and the current version, saving nothing', async () => {
    const wf = await create(savingTo('etag_v1', 'etags'));
    const got = await t.admin('GET', `/workflows/${wf.id}`);
    const etag = got.headers.get('etag');
    expect(etag).toBe(wf.etag);

    // Tab B saves first; tab A still holds the old ETag.
    const b = await put(`/workflows/${wf.id}`, savingTo('etag_tab_b', 'etags'), etag!);
    expect(b.status).toBe(200);
    const bBody = (await b.json()) as WorkflowJson;
    expect(b.headers.get('etag')).toBe(bBody.etag);

    for (const path of [`/workflows/${wf.id}`, `/workflows/${wf.id}/draft`]) {
      const a = await put(path, savingTo('etag_tab_a', 'tab A'), etag!);
      expect(a.status).toBe(412);
      const body = (await a.json()) as { error: string; current: WorkflowJson };
      expect(body.error).toBe('version_conflict');
      expect(body.current).toMatchObject({ version: 2, etag: bBody.etag, draft: null });
    }
    const after = (await (await t.admin('GET', `/workflows/${wf.id}`)).json()) as WorkflowJson;
    expect(after).toMatchObject({ version: 2, etag: bBody.etag, draft: null, document: { name: 'etags' } });
    expect((await (await t.admin('GET', `/workflows/${wf.id}/versions`)).json()) as unknown[]).toHaveLength(2);

    // Overwriting on purpose: the current ETag is accepted.
    expect((await put(`/workflows/${wf.id}/draft`, savingTo('etag_tab_a', 'tab A'), bBody.etag)).status).toBe(200);
  });

  it("retries on the version it ran ('same', failing again) or the latest saved one ('latest', the fix)", async () => {
    const failing = {
      name: 'fails then fixed',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] } },
        { id: 'check', type: 'fail', config: { message: 'broken on purpose' } },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'check' }],
    };
    const wf = await create(failing);
    const e = freshCopy(stripeEvent('invoice.paid'));
    await t.deliver('/ver/editor', JSON.stringify(e), SECRET);
    const [failed] = await t.waitForExecutions(`workflowId=${wf.id}`, (xs) => xs[0]?.status === 'failed');
    expect(failed).toMatchObject({ workflowVersion: 1, error: expect.stringMatching(/broken on purpose/) });

    const fixed = {
      ...failing,
      nodes: [failing.nodes[0], { id: 'check', type: 'log', config: { message: 'fixed' } }],
    };
    expect((await put(`/workflows/${wf.id}`, fixed)).status).toBe(200);

    const same = (await (
      await t.admin('POST', `/executions/${failed!.id}/retry`, { version: 'same' })
    ).json()) as ExecutionJson;
    expect(same).toMatchObject({ workflowVersion: 1, origin: 'retry', parentId: failed!.id });
    const [sameDone] = await t
      .waitForExecutions(`workflowId=${wf.id}`, (xs) => xs.some((x) => x.id === same.id && x.status === 'failed'))
      .then((xs) => xs.filter((x) => x.id === same.id));
    expect(sameDone!.error).toMatch(/broken on purpose/);

    const latest = await t.admin('POST', `/executions/${failed!.id}/retry`, { version: 'latest' });
    expect(latest.status).toBe(201);
    const retry = (await latest.json()) as ExecutionJson;
    expect(retry.workflowVersion).toBe(2);
    const [done] = await t
      .waitForExecutions(`workflowId=${wf.id}`, (xs) => xs.some((x) => x.id === retry.id && x.status === 'succeeded'))
      .then((xs) => xs.filter((x) => x.id === retry.id));
    // Resumed: the trigger's step came from the failed run, the fixed step ran on v2.
    expect(done!.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['trigger', 'succeeded'],
      ['check', 'succeeded'],
    ]);

    const bad = await t.admin('POST', `/executions/${failed!.id}/retry`, { version: 'newest' });
    expect(bad.status).toBe(400);
  });
});
