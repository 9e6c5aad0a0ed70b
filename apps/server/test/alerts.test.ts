import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AlertSettings, AlertTestResult } from '@switchyard/contract';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
    const bad = await t.admin('PUT', '/environments/editor/alerts', { email: 'not-an-address', webhookUrl: 'ftp://x' });
    expect(bad.status).toBe(400);
    const put = await t.admin('PUT', '/environments/editor/alerts', {
      email: 'ops@example.com',
      webhookUrl: `${receiver.url}/hook/${TOKEN}`,
    });
    expect(put.status).toBe(200);
    const text = await put.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toMatchObject({ email: 'ops@example.com', webhookUrl: `${receiver.url}/••••path` });
    // Omitting the URL keeps it.
    await t.admin('PUT', '/environments/editor/alerts', { email: 'ops@example.com' });
    expect(((await (await t.admin('GET', '/environments/editor/alerts')).json()) as AlertSettings).webhookUrl).toBe(
      `${receiver.url}/••••path`,
    );
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
});
