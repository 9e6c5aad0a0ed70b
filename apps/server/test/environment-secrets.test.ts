import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from './ports/local-server.js';
import { type ExecutionJson, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const SIGNING = 'whsec_environment_secrets_test';
const TOKEN = 'sk_partner_7Hq2Lx9Vb4Nc8Rt1';
const MASK = '••••8Rt1';

describeEachDriver('secrets and variables per environment', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let receiver: LocalServer;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    t = testApp(ctx.database);
    await t.start();
    expect(
      (
        await t.admin('PUT', '/environments/editor/stripe', {
          webhookEnabled: true,
          webhookPath: '/sec/editor',
          webhookSecret: SIGNING,
        })
      ).status,
    ).toBe(200);
    // A service that echoes the credential it was sent, as some do in their error answers.
    receiver = await startLocalServer((req, res, body) => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, youSent: req.headers.authorization }));
    });
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const callWorkflow = (name: string, secret: string) => ({
    name,
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] } },
      {
        id: 'call',
        type: 'http.request',
        config: {
          method: 'POST',
          url: `${receiver.url}/hook`,
          headers: { Authorization: `Bearer {{ context.secrets.${secret} }}` },
          json: { label: '{{ context.vars.LABEL }}', workflow: name },
          retry: { attempts: 3 },
        },
      },
      { id: 'note', type: 'log', config: { message: `called with {{ context.secrets.${secret} }}` } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'call' },
      { id: 'e2', source: 'call', target: 'note' },
    ],
  });

  const runOnce = async (workflowId: string) => {
    const event = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver('/sec/editor', JSON.stringify(event), SIGNING)).status).toBe(200);
    const [run] = await t.waitForExecutions(
      `workflowId=${workflowId}&eventId=${event.id}`,
      (xs) => xs[0]?.status === 'succeeded' || xs[0]?.status === 'failed',
    );
    return (await (await t.admin('GET', `/executions/${run!.id}`)).json()) as ExecutionJson;
  };

  it('answers secrets masked only, and keeps each environment’s to itself', async () => {
    const put = await t.admin('PUT', '/environments/editor/secrets/PARTNER_TOKEN', { value: TOKEN });
    expect(put.status).toBe(200);
    const putText = await put.text();
    expect(putText).not.toContain(TOKEN);
    expect(JSON.parse(putText)).toMatchObject({ name: 'PARTNER_TOKEN', masked: MASK });
    expect((await t.admin('PUT', '/environments/editor/secrets/SHORT_PIN', { value: 'abcd' })).status).toBe(200);

    const list = await (await t.admin('GET', '/environments/editor/secrets')).text();
    expect(list).not.toContain(TOKEN);
    expect(JSON.parse(list)).toEqual([
      { name: 'PARTNER_TOKEN', masked: MASK, updatedAt: expect.any(String) },
      { name: 'SHORT_PIN', masked: '••••', updatedAt: expect.any(String) },
    ]);
    expect(await (await t.admin('GET', '/environments/staging/secrets')).json()).toEqual([]);

    // Bad names and values change nothing.
    for (const [path, body] of [
      ['/environments/editor/secrets/lower_case', { value: 'long enough' }],
      ['/environments/editor/secrets/OK_NAME', { value: 'abc' }],
      ['/environments/editor/secrets/OK_NAME', {}],
      ['/environments/nowhere/secrets/OK_NAME', { value: 'long enough' }],
    ] as const) {
      const res = await t.admin('PUT', path, body);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
    expect(await (await t.admin('GET', '/environments/editor/secrets')).json()).toHaveLength(2);

    expect((await t.admin('DELETE', '/environments/editor/secrets/SHORT_PIN')).status).toBe(204);
    const again = await t.admin('DELETE', '/environments/editor/secrets/SHORT_PIN');
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: string }).error).toBe('not_found');
  });

  it('round-trips variables as JSON, per environment', async () => {
    const values: [string, unknown][] = [
      ['LABEL', 'ops-team'],
      ['LIMITS', { max: 5, tiers: ['a', 'b'], nested: { on: true } }],
      ['NOTHING', null],
      ['COUNT', 42],
    ];
    for (const [name, value] of values) {
      const res = await t.admin('PUT', `/environments/editor/vars/${name}`, { value });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ name, value, updatedAt: expect.any(String) });
    }
    const list = (await (await t.admin('GET', '/environments/editor/vars')).json()) as { name: string }[];
    expect(list.map((v) => v.name)).toEqual(['COUNT', 'LABEL', 'LIMITS', 'NOTHING']);
    expect(list).toContainEqual({ name: 'NOTHING', value: null, updatedAt: expect.any(String) });
    expect(await (await t.admin('GET', '/environments/production/vars')).json()).toEqual([]);
    expect((await t.admin('PUT', '/environments/editor/vars/X', {})).status).toBe(400);
    expect((await t.admin('DELETE', '/environments/editor/vars/COUNT')).status).toBe(204);
    expect((await t.admin('DELETE', '/environments/editor/vars/COUNT')).status).toBe(404);
  });

  it('sends a secret in a header while the records, the export, the log and the API show its mask', async () => {
    const created = await t.admin('POST', '/workflows', callWorkflow('Notify partner', 'PARTNER_TOKEN'));
    expect(created.status).toBe(201);
    const wf = (await created.json()) as { id: string };
    const execution = await runOnce(wf.id);
    expect(execution.status).toBe('succeeded');

    // The real value went out.
    const request = received.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(request.body)).toMatchObject({ label: 'ops-team' });

    // …and nothing kept it: the execution (inputs, the echoing answer, the log step), the export and the log lines.
    const executionText = JSON.stringify(execution);
    expect(executionText).not.toContain(TOKEN);
    const call = execution.steps.find((s) => s.nodeId === 'call')!;
    expect((call.input as { headers: Record<string, string> }).headers.Authorization).toBe(`Bearer ${MASK}`);
    expect(JSON.stringify(call.output)).toContain(`"youSent":"Bearer ${MASK}"`);
    expect(execution.steps.find((s) => s.nodeId === 'note')!.output).toMatchObject({ message: `called with ${MASK}` });

    const exported = await (await t.admin('GET', `/workflows/${wf.id}/export`)).text();
    expect(exported).not.toContain(TOKEN);
    expect(exported).toContain('{{ context.secrets.PARTNER_TOKEN }}');

    const logText = t.logLines.join('\n');
    expect(logText).not.toContain(TOKEN);
    expect(logText).toContain(`called with ${MASK}`);

    const listed = await (await t.admin('GET', `/executions?workflowId=${wf.id}`)).text();
    expect(listed).not.toContain(TOKEN);
  });

  it('fails a step whose secret this environment does not have, once and naming it', async () => {
    // Set in production only: the editor environment must not see it.
    expect(
      (await t.admin('PUT', '/environments/production/secrets/PROD_ONLY_TOKEN', { value: 'prod-only-value' })).status,
    ).toBe(200);
    const wf = (await (await t.admin('POST', '/workflows', callWorkflow('Missing', 'PROD_ONLY_TOKEN'))).json()) as {
      id: string;
    };
    const execution = await runOnce(wf.id);
    expect(execution.status).toBe('failed');
    expect(execution.error).toContain('secret PROD_ONLY_TOKEN is not set in editor');
    const call = execution.steps.find((s) => s.nodeId === 'call')!;
    expect(call).toMatchObject({ status: 'failed', attempt: 1 });
    expect(JSON.stringify(call.error)).toContain('secret PROD_ONLY_TOKEN is not set in editor');
    // Nothing went out for it (the other workflow on the same event still called).
    expect(received.filter((r) => JSON.parse(r.body).workflow === 'Missing')).toEqual([]);
  });
});
