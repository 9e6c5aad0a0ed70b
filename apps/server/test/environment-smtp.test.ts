import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskSmtpUrl } from '../src/secrets/smtp.js';
import { closedPort } from './ports/local-server.js';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const SIGNING = 'whsec_environment_smtp_test';
const PASSWORD = 'mail-pass-Zq81';

interface Received {
  user: string | undefined;
  from: string | undefined;
  to: string[];
  raw: string;
}

it('masks the password of an SMTP URL only', () => {
  expect(maskSmtpUrl(`smtp://ops:${PASSWORD}@mail.example.com:587`)).toBe('smtp://ops:••••@mail.example.com:587');
  expect(maskSmtpUrl('smtps://mail.example.com:465')).toBe('smtps://mail.example.com:465');
});

describeEachDriver('SMTP per environment', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const inbox: Received[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'ops' && auth.password === PASSWORD) return callback(null, { user: 'ops' });
        callback(new Error('bad credentials'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          inbox.push({
            user: session.user as string | undefined,
            from: from ? from.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpUrl = `smtp://ops:${PASSWORD}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    // No SMTP_URL on the server: only the environment's own settings can send.
    t = testApp(ctx.database);
    await t.start();
    await t.admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/smtp/editor',
      webhookSecret: SIGNING,
    });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('stores the URL sealed and answers it masked, per environment', async () => {
    expect(await (await t.admin('GET', '/environments/editor/smtp')).json()).toEqual({
      url: null,
      from: null,
      updatedAt: null,
    });
    const put = await t.admin('PUT', '/environments/editor/smtp', { url: smtpUrl, from: 'billing@example.com' });
    expect(put.status).toBe(200);
    const text = await put.text();
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toMatchObject({ url: maskSmtpUrl(smtpUrl), from: 'billing@example.com' });
    expect(await (await t.admin('GET', '/environments/editor/smtp')).text()).not.toContain(PASSWORD);
    expect(((await (await t.admin('GET', '/environments/staging/smtp')).json()) as { url: unknown }).url).toBeNull();
    const bad = await t.admin('PUT', '/environments/editor/smtp', { url: 'http://not-smtp', from: null });
    expect(bad.status).toBe(400);
    expect(JSON.parse(await (await t.admin('GET', '/environments/editor/smtp')).text())).toMatchObject({
      from: 'billing@example.com',
    });
  });

  it('sends a test email through the environment’s server, and says why one cannot be sent', async () => {
    inbox.length = 0;
    const res = await t.admin('POST', '/environments/editor/smtp/test', { to: 'me@example.com' });
    expect(res.status).toBe(200);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ user: 'ops', from: 'billing@example.com', to: ['me@example.com'] });

    const none = await t.admin('POST', '/environments/staging/smtp/test', { to: 'me@example.com' });
    expect(none.status).toBe(502);
    expect(await none.json()).toMatchObject({ error: 'smtp_error', message: 'SMTP_URL is not set' });

    await t.admin('PUT', '/environments/production/smtp', {
      url: `smtp://127.0.0.1:${await closedPort()}`,
      from: 'x@example.com',
    });
    const down = await t.admin('POST', '/environments/production/smtp/test', { to: 'me@example.com' });
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: string }).error).toBe('smtp_error');
  });

  it('an email node of a run uses its environment’s server and sender', async () => {
    inbox.length = 0;
    const created = await t.admin('POST', '/workflows', {
      name: 'Mail on paid',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] } },
        {
          id: 'mail',
          type: 'email.send',
          config: { to: 'customer@example.com', subject: 'Paid {{ context.event.object.id }}', text: 'thanks' },
        },
      ],
      edges: [{ id: 'e1', source: 'trigger', target: 'mail' }],
    });
    expect(created.status).toBe(201);
    const wf = (await created.json()) as { id: string };
    const event = freshCopy(stripeEvent('invoice.paid'));
    expect((await t.deliver('/smtp/editor', JSON.stringify(event), SIGNING)).status).toBe(200);
    const [run] = await t.waitForExecutions(`workflowId=${wf.id}&eventId=${event.id}`, (xs) =>
      ['succeeded', 'failed'].includes(xs[0]?.status ?? ''),
    );
    expect(run!.status).toBe('succeeded');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ user: 'ops', from: 'billing@example.com', to: ['customer@example.com'] });
    expect(JSON.stringify(run)).not.toContain(PASSWORD);
  });
});
