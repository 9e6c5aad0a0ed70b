import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Server } from 'node:net';
import type { AlertSettings, AlertTestResult } from '@switchyard/contract';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimAlert, releaseAlert } from '../src/alerts/rate-limit.js';
import { maskWebhookUrl, webhookUrlRefusal } from '../src/alerts/settings.js';
import { closedPort, type LocalServer, startLocalServer } from './ports/local-server.js';
import { PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const SIGNING = 'whsec_alerts_test';
const TOKEN = 'T0KEN-b7Yq9-secret-path';
// Shared by the two sets of services of the last test, as every process on one database shares it.
const masterKey = randomBytes(32);

it('masks a webhook URL down to its host and last four characters, and wants https', () => {
  expect(maskWebhookUrl(`https://hooks.slack.com/services/${TOKEN}`)).toBe('https://hooks.slack.com/••••path');
  expect(maskWebhookUrl('https://alerts.example.com/')).toBe('https://alerts.example.com');
  expect(webhookUrlRefusal('https://alerts.example.com/x', false)).toBeUndefined();
  expect(webhookUrlRefusal('http://alerts.example.com/x', false)).toMatch(/https/);
  expect(webhookUrlRefusal('http://127.0.0.1:9/x', true)).toBeUndefined();
  expect(webhookUrlRefusal('https://user:pass@alerts.example.com/x', true)).toMatch(/user name or password/);
  expect(webhookUrlRefusal('https://user@alerts.example.com/x', false)).toMatch(/user name or password/);
});

interface Mail {
  to: string[];
  raw: string;
}
interface Post {
  path: string;
  body: Record<string, unknown>;
}

describeEachDriver('alerts', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let smtp: SMTPServer;
  let receiver: LocalServer;
  let receiverStatus = 200;
  const mails: Mail[] = [];
  const posts: Post[] = [];
  // Unix seconds: the alert windows follow this clock, so "ten minutes later" needs no sleeping.
  let now = Math.floor(Date.now() / 1000);

  const waitFor = async (what: string, done: () => boolean | Promise<boolean>) => {
    const deadline = Date.now() + 20_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const pending = async (cause: string) =>
    (
      await ctx.database.query<{ pending: number }>(
        `SELECT pending FROM alert_sends WHERE environment = 'editor' AND cause = $1`,
        [cause],
      )
    )[0]?.pending;

  const charged = { id: 'trigger', type: 'stripe.charge', config: { actions: ['succeeded'] } };
  const createWorkflow = async (name: string, last: Record<string, unknown>) => {
    const res = await t.admin('POST', '/workflows', {
      name,
      nodes: [charged, { id: 'last', ...last }],
      edges: [{ id: 'e1', source: 'trigger', target: 'last' }],
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const deliverCharge = async () => {
    const event = freshCopy(stripeEvent('charge.succeeded'), { created: now });
    expect((await t.deliver('/alerts/editor', JSON.stringify(event), SIGNING, now)).status).toBe(200);
    return event.id;
  };
  const alertsOf = (workflowId: string) =>
    posts.filter((p) => (p.body.workflow as { id?: string } | undefined)?.id === workflowId);
  /** A BEFORE UPDATE trigger on executions: the database acting as the test needs, on one workflow's runs. */
  const onExecutionUpdate = async (name: string, body: string) => {
    await ctx.database.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NEW; END $$`,
      [],
    );
    await ctx.database.query(
      `CREATE TRIGGER ${name} BEFORE UPDATE ON executions FOR EACH ROW EXECUTE FUNCTION ${name}()`,
      [],
    );
    return async () => {
      await ctx.database.query(`DROP TRIGGER ${name} ON executions`, []);
      await ctx.database.query(`DROP FUNCTION ${name}()`, []);
    };
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    receiver = await startLocalServer((req, res, body) => {
      posts.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(receiverStatus).end();
    });
    t = testApp(ctx.database, { now: () => now, masterKey });
    await t.start();
    await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/alerts/editor',
      webhookSecret: SIGNING,
    });
    const port = (smtp.server.address() as AddressInfo).port;
    expect(
      (await t.admin('PUT', '/environments/editor/smtp', { url: `smtp://127.0.0.1:${port}`, from: 'sy@example.com' }))
        .status,
    ).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('stores the destinations, answering the webhook URL masked', async () => {
    expect(await (await t.admin('GET', '/environments/editor/alerts')).json()).toEqual({
      email: null,
      webhookUrl: null,
      lastDelivery: { email: null, webhook: null },
      updatedAt: null,
    });
    const put = await t.admin('PUT', '/environments/editor/alerts', {
      email: 'ops@example.com',
      webhookUrl: `${receiver.url}/hook/${TOKEN}`,
    });
    expect(put.status).toBe(200);
    const text = await put.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({ email: 'ops@example.com', webhookUrl: `${receiver.url}/••••path` });
    const get = async () => (await (await t.admin('GET', '/environments/editor/alerts')).json()) as AlertSettings;
    const stored = await get();
    // Omitting the URL keeps it; omitting the address keeps it too.
    expect((await t.admin('PUT', '/environments/editor/alerts', { email: 'ops@example.com' })).status).toBe(200);
    expect((await t.admin('PUT', '/environments/editor/alerts', {})).status).toBe(200);
    expect(await get()).toEqual({ ...stored, updatedAt: expect.any(String) });

    // Refused bodies change nothing, a valid field beside the bad one included.
    const before = await get();
    const refused = [
      { email: 'not-an-address', webhookUrl: 'ftp://x' },
      { email: 'other@example.com', webhookUrl: 'https://user:pass@hooks.example.com/x' },
    ];
    for (const body of refused) {
      const bad = await t.admin('PUT', '/environments/editor/alerts', body);
      expect(bad.status).toBe(400);
      expect(await get()).toEqual(before);
    }
    const credentials = await t.admin('PUT', '/environments/editor/alerts', {
      webhookUrl: 'https://user:pass@hooks.example.com/x',
    });
    expect(credentials.status).toBe(400);
    const answer = await credentials.text();
    expect(answer).not.toContain('pass@');
    expect(JSON.parse(answer)).toMatchObject({
      error: 'invalid_request',
      issues: [{ path: 'webhookUrl', message: expect.stringContaining('user name or password') }],
    });
    expect(await get()).toEqual(before);

    // null clears one field and leaves the other.
    await t.admin('PUT', '/environments/editor/alerts', { email: null });
    expect(await get()).toMatchObject({ email: null, webhookUrl: `${receiver.url}/••••path` });
    await t.admin('PUT', '/environments/editor/alerts', { email: 'ops@example.com' });
    expect(await get()).toMatchObject({ email: 'ops@example.com', webhookUrl: `${receiver.url}/••••path` });
  });

  it('sends a test alert to both destinations and says how each went', async () => {
    const res = await t.admin('POST', '/environments/editor/alerts/test');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: { ok: true, error: null }, webhook: { ok: true, error: null } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ops@example.com']);
    expect(mails[0]!.raw).toContain('Test alert');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ path: `/hook/${TOKEN}`, body: { alert: 'test', environment: 'editor' } });

    receiverStatus = 500;
    const failing = (await (await t.admin('POST', '/environments/editor/alerts/test')).json()) as AlertTestResult;
    receiverStatus = 200;
    expect(failing.email?.ok).toBe(true);
    expect(failing.webhook).toMatchObject({ ok: false, error: 'the webhook answered HTTP 500' });
    const settings = (await (await t.admin('GET', '/environments/editor/alerts')).json()) as AlertSettings;
    expect(settings.lastDelivery.webhook).toMatchObject({ ok: false, error: 'the webhook answered HTTP 500' });
    expect(settings.lastDelivery.email).toMatchObject({ ok: true });

    const none = await t.admin('POST', '/environments/staging/alerts/test');
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: 'no_alert_destination' });
    mails.length = 0;
    posts.length = 0;
  });

  it('reports a dead-lettered run once per workflow per 10 minutes, with the count and a link', async () => {
    const created = await t.admin('POST', '/workflows', {
      name: 'Always fails',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: { actions: [] } },
        { id: 'boom', type: 'fail', config: { message: 'no such plan' } },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'boom' }],
    });
    expect(created.status).toBe(201);
    const wf = (await created.json()) as { id: string };
    const deliverAndFail = async () => {
      const event = freshCopy(stripeEvent('invoice.paid'), { created: now });
      expect((await t.deliver('/alerts/editor', JSON.stringify(event), SIGNING, now)).status).toBe(200);
      const [run] = await t.waitForExecutions(
        `workflowId=${wf.id}&eventId=${event.id}`,
        (xs) => xs[0]?.status === 'failed',
      );
      return run!;
    };

    const first = await deliverAndFail();
    await waitFor('one email and one POST', () => mails.length === 1 && posts.length === 1);
    expect(mails[0]!.to).toEqual(['ops@example.com']);
    expect(mails[0]!.raw).toContain('Always fails');
    expect(mails[0]!.raw).toContain('no such plan');
    const link = `${PUBLIC_URL}/editor/executions?workflowId=${wf.id}&status=failed`;
    expect(posts[0]!.body).toMatchObject({
      alert: 'run_dead_lettered',
      environment: 'editor',
      count: 1,
      link,
      workflow: { id: wf.id, name: 'Always fails' },
      execution: { id: first.id, error: 'no such plan' },
    });

    // A second failure within the window is counted for the next alert, and sends nothing.
    await deliverAndFail();
    await waitFor('the second failure held back', async () => (await pending(`workflow:${wf.id}`)) === 1);
    await t.services.alerts.settled();
    expect(mails).toHaveLength(1);
    expect(posts).toHaveLength(1);

    // Past the window, the next failure sends one alert carrying both.
    now += 11 * 60;
    await deliverAndFail();
    await waitFor('the next alert', () => mails.length === 2 && posts.length === 2);
    expect(posts[1]!.body).toMatchObject({ alert: 'run_dead_lettered', count: 2 });
    expect(mails[1]!.raw).toContain('2 runs');

    // A failure held back with nothing after it is sent by the sweep once its window has passed, and only once.
    const last = await deliverAndFail();
    await waitFor('the last failure held back', async () => (await pending(`workflow:${wf.id}`)) === 1);
    await t.services.alerts.settled();
    await t.services.alerts.sweep();
    expect(posts).toHaveLength(2);
    now += 11 * 60;
    await t.services.alerts.sweep();
    await t.services.alerts.sweep();
    expect(posts).toHaveLength(3);
    expect(mails).toHaveLength(3);
    expect(posts[2]!.body).toMatchObject({ alert: 'run_dead_lettered', count: 1, execution: { id: last.id } });
    mails.length = 0;
    posts.length = 0;
  });

  it('a failing destination fails neither the run nor the delivery, and is visible', async () => {
    receiverStatus = 503;
    now += 11 * 60;
    const wf = (await (
      await t.admin('POST', '/workflows', {
        name: 'Fails too',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: { actions: [] } },
          { id: 'boom', type: 'fail', config: { message: 'nope' } },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'boom' }],
      })
    ).json()) as { id: string };
    const event = freshCopy(stripeEvent('invoice.paid'), { created: now });
    expect((await t.deliver('/alerts/editor', JSON.stringify(event), SIGNING, now)).status).toBe(200);
    await waitFor('both alerts attempted', () => posts.length >= 2 && mails.length >= 2);
    await t.services.alerts.settled();
    receiverStatus = 200;
    const settings = (await (await t.admin('GET', '/environments/editor/alerts')).json()) as AlertSettings;
    expect(settings.lastDelivery.webhook).toMatchObject({ ok: false, error: 'the webhook answered HTTP 503' });
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    expect(t.logLines.filter((l) => l.includes('alert not delivered')).join('\n')).not.toContain(TOKEN);
    const runs = await t.waitForExecutions(`workflowId=${wf.id}`, (xs) => xs.length > 0);
    expect(runs[0]!.status).toBe('failed');
    mails.length = 0;
    posts.length = 0;
  });

  it('reports 10 signature failures within 10 minutes once, shared by every process on the database', async () => {
    now += 11 * 60;
    const forge = async (n: number, app = t) => {
      for (let i = 0; i < n; i++) {
        const event = freshCopy(stripeEvent('invoice.paid'));
        expect((await app.deliver('/alerts/editor', JSON.stringify(event), 'whsec_wrong', now)).status).toBe(400);
      }
      await app.services.refusals.flush();
      await app.services.alerts.settled();
    };
    await forge(9);
    expect(posts).toHaveLength(0);
    await forge(1);
    expect(posts).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({
      alert: 'deliveries_refused',
      reason: 'bad_signature',
      count: 10,
      link: `${PUBLIC_URL}/editor/connection#refused-deliveries`,
    });
    expect(String(posts[0]!.body.text)).toContain('signing secret in Switchyard does not match');
    await forge(5);
    expect(posts).toHaveLength(1);

    // Another server process on the same database (a fresh set of services) sees the same window.
    const other = testApp(ctx.database, { now: () => now, masterKey });
    await forge(10, other);
    expect(posts).toHaveLength(1);

    // Refusals older than the window do not count towards the next alert.
    now += 11 * 60;
    await forge(9);
    expect(posts).toHaveLength(1);
    await forge(1);
    expect(posts).toHaveLength(2);
  });

  it('never answers or logs the webhook URL whole, even in the error of an unreachable one', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hook/${TOKEN}`;
    expect((await t.admin('PUT', '/environments/staging/alerts', { webhookUrl: url })).status).toBe(200);
    const res = (await (await t.admin('POST', '/environments/staging/alerts/test')).json()) as AlertTestResult;
    expect(res.email).toBeNull();
    expect(res.webhook?.ok).toBe(false);
    expect(res.webhook?.error).toContain('ECONNREFUSED');
    expect(JSON.stringify(res)).not.toContain(TOKEN);
    expect(await (await t.admin('GET', '/environments/staging/alerts')).text()).not.toContain(TOKEN);
    expect(t.logLines.join('\n')).not.toContain(TOKEN);
  });

  it('an alert no destination took gives its window back: the next failure alerts, carrying the count', async () => {
    now += 11 * 60;
    await t.admin('PUT', '/environments/editor/alerts', { email: null });
    const wf = await createWorkflow('Fails unheard', { type: 'fail', config: { message: 'unheard' } });
    const failed = async (n: number) => {
      await deliverCharge();
      await t.waitForExecutions(`workflowId=${wf}`, (xs) => xs.length === n && xs.every((x) => x.status === 'failed'));
    };
    receiverStatus = 503;
    await failed(1);
    await waitFor('the first alert tried', () => alertsOf(wf).length === 1);
    await t.services.alerts.settled();
    receiverStatus = 200;
    await failed(2);
    await waitFor('the second alert', () => alertsOf(wf).length === 2);
    expect(alertsOf(wf)[1]!.body).toMatchObject({ alert: 'run_dead_lettered', count: 2 });
    await t.services.alerts.settled();
    // Delivered, the alert holds its window as before.
    await failed(3);
    await waitFor('the third failure held back', async () => (await pending(`workflow:${wf}`)) === 1);
    await t.services.alerts.settled();
    expect(alertsOf(wf)).toHaveLength(2);
    await t.admin('PUT', '/environments/editor/alerts', { email: 'ops@example.com' });
  });

  it('without an injected clock the database decides the window; a claim given back carries its count', async () => {
    const cause = `workflow:db-clock-${randomBytes(3).toString('hex')}`;
    const first = await claimAlert(ctx.database, 'production', cause);
    const second = await claimAlert(ctx.database, 'production', cause);
    expect([first.send, second.send]).toEqual([true, false]);
    const [row] = await ctx.database.query<{ sent_by_db_clock: boolean }>(
      `SELECT last_sent_at = now() OR last_sent_at > now() - interval '1 minute' AS sent_by_db_clock
       FROM alert_sends WHERE environment = 'production' AND cause = $1`,
      [cause],
    );
    expect(row?.sent_by_db_clock).toBe(true);
    await releaseAlert(ctx.database, first);
    expect(await claimAlert(ctx.database, 'production', cause)).toMatchObject({ send: true, count: 3 });
  });

  it('sends no alert for a dead letter another process took over before this one recorded it', async () => {
    now += 11 * 60;
    const wf = await createWorkflow('Taken over', { type: 'set', config: { values: { a: 1 } } });
    const worker = t.services.runtime.worker;
    await worker.stop();
    await deliverCharge();
    // Ten claims whose process "died": the next claim dead-letters the run.
    const queue = t.services.runtime.queue;
    for (let i = 0; i < 10; i++) {
      expect((await queue.claim('crashed-owner', 10, 1)).map((x) => x.workflowId)).toContain(wf);
      await new Promise((r) => setTimeout(r, 5));
      expect(await queue.reapLapsedLeases()).toBeGreaterThan(0);
    }
    // Stands for another process claiming the run between this one's claim and its record: the update finds no
    // row this owner holds.
    const drop = await onExecutionUpdate(
      'test_taken_over',
      `IF NEW.workflow_id = '${wf}' AND NEW.status = 'failed' THEN RETURN NULL; END IF;`,
    );
    const lost = () => t.logLines.filter((l) => l.includes('lease lost')).length;
    const lostBefore = lost();
    worker.start();
    await waitFor('the run given up or alerted', () => lost() > lostBefore || alertsOf(wf).length > 0);
    await t.services.alerts.settled();
    expect(alertsOf(wf)).toEqual([]);
    await worker.stop();
    await drop();
    await ctx.database.query(
      `UPDATE executions SET status = 'failed', lease_owner = NULL, lease_until = NULL WHERE workflow_id = $1`,
      [wf],
    );
    worker.start();
  });

  it('alerts on a run whose record the database refused: it is dead-lettered like any failure', async () => {
    now += 11 * 60;
    const wf = await createWorkflow('Unstorable', { type: 'set', config: { values: { a: 1 } } });
    const drop = await onExecutionUpdate(
      'test_refuse_record',
      `IF NEW.workflow_id = '${wf}' AND NEW.status = 'succeeded' THEN
         RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; END IF;`,
    );
    try {
      const crashed = () => t.logLines.filter((l) => l.includes('run crashed')).length;
      const crashedBefore = crashed();
      await deliverCharge();
      await waitFor('the alert', () => alertsOf(wf).length > 0 || crashed() > crashedBefore);
      await t.services.alerts.settled();
      expect(alertsOf(wf)).toHaveLength(1);
      expect(alertsOf(wf)[0]!.body).toMatchObject({
        alert: 'run_dead_lettered',
        execution: { error: expect.stringContaining("the run's record could not be stored: refused by the test") },
      });
      const [run] = await t.waitForExecutions(`workflowId=${wf}`, (xs) => xs[0]?.status === 'failed');
      expect(run!.deadLettered).toBe(true);
    } finally {
      await drop();
    }
  });
  it('alerts on a run whose step record the database refused mid-run', async () => {
    now += 11 * 60;
    const wf = await createWorkflow('Unstorable step', {
      type: 'http.request',
      config: { method: 'POST', url: `${receiver.url}/side-effect`, json: { step: 'once' } },
    });
    // The step record of a side effect is saved before the run goes on: refuse that one.
    const drop = await onExecutionUpdate(
      'test_refuse_step',
      `IF NEW.workflow_id = '${wf}' AND NEW.status = 'running' AND NEW.steps IS DISTINCT FROM OLD.steps THEN
         RAISE EXCEPTION 'step refused by the test' USING ERRCODE = '22023'; END IF;`,
    );
    try {
      const gaveUp = () => t.logLines.filter((l) => l.includes('run crashed') || l.includes('lease lost')).length;
      const before = gaveUp();
      await deliverCharge();
      await waitFor('the alert', () => alertsOf(wf).length > 0 || gaveUp() > before);
      await t.services.alerts.settled();
      expect(alertsOf(wf)).toHaveLength(1);
      expect(alertsOf(wf)[0]!.body).toMatchObject({
        alert: 'run_dead_lettered',
        execution: { error: expect.stringContaining('could not be stored: step refused by the test') },
      });
      const [run] = await t.waitForExecutions(`workflowId=${wf}`, (xs) => xs[0]?.status === 'failed');
      expect(run!.deadLettered).toBe(true);
    } finally {
      await drop();
    }
  });
});

describeEachDriver('alert webhooks where private addresses are off limits', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let listener: Server;
  let connections = 0;

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    t = testApp(ctx.database, { allowPrivateNetwork: false });
    await t.start();
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => listener?.close(resolve));
  });

  it('refuses loopback and link-local (cloud metadata) webhooks at send, records why, and connects nowhere', async () => {
    const port = (listener.address() as AddressInfo).port;
    const cases = [
      { url: `https://127.0.0.1:${port}/hook/${TOKEN}`, reason: 'loopback address' },
      { url: 'https://169.254.169.254/latest/meta-data/', reason: 'link-local address' },
    ];
    for (const { url, reason } of cases) {
      expect((await t.admin('PUT', '/environments/production/alerts', { webhookUrl: url })).status).toBe(200);
      const res = (await (await t.admin('POST', '/environments/production/alerts/test')).json()) as AlertTestResult;
      expect(res.webhook).toMatchObject({ ok: false, error: expect.stringContaining(reason) });
      expect(res.webhook?.error).toContain('outbound requests may only reach public addresses');
      const settings = (await (await t.admin('GET', '/environments/production/alerts')).json()) as AlertSettings;
      expect(settings.lastDelivery.webhook).toMatchObject({ ok: false, error: expect.stringContaining(reason) });
    }
    expect(connections).toBe(0);
    expect(t.logLines.join('\n')).not.toContain(TOKEN);
  });

  it('refuses an http:// webhook and one with user info at PUT, naming the field', async () => {
    for (const webhookUrl of ['http://hooks.example.com/x', 'https://user:pass@hooks.example.com/x']) {
      const res = await t.admin('PUT', '/environments/staging/alerts', { webhookUrl });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: 'webhookUrl' }] });
    }
    expect(((await (await t.admin('GET', '/environments/staging/alerts')).json()) as AlertSettings).webhookUrl).toBe(
      null,
    );
  });
});
