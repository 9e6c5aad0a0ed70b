import type { AddressInfo } from 'node:net';
import { NonRetriableError, RetryableError } from '@switchyard/engine';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailPort, IDEMPOTENCY_HEADER, messageIdFor } from '../../src/ports/index.js';
import { closedPort } from './local-server.js';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

describe('email port over SMTP', () => {
  let smtp: SMTPServer;
  let smtpUrl: string;
  const inbox: Received[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce@'))
          return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        if (address.address.startsWith('busy@'))
          return callback(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom;
          inbox.push({
            from: from ? from.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  beforeEach(() => {
    inbox.length = 0;
  });

  it('delivers subject, text and html to every recipient with a deterministic Message-ID', async () => {
    const port = createEmailPort({ smtpUrl, defaultFrom: 'Switchyard <noreply@switchyard.test>' });
    const res = await port.send({
      to: ['ada@example.com', 'bob@example.com'],
      cc: ['carol@example.com'],
      replyTo: 'support@switchyard.test',
      subject: 'Your receipt',
      text: 'Thanks for paying 42 USD.',
      html: '<p>Thanks for paying <b>42 USD</b>.</p>',
      idempotencyKey: 'run_1:send_receipt',
    });
    expect(res.id).toBe(messageIdFor('run_1:send_receipt', 'Switchyard <noreply@switchyard.test>'));
    expect(res.id).toMatch(/^<sy\.[0-9a-f]{40}@switchyard\.test>$/);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.from).toBe('noreply@switchyard.test');
    expect(mail.to).toEqual(['ada@example.com', 'bob@example.com', 'carol@example.com']);
    expect(mail.raw).toContain('Subject: Your receipt');
    expect(mail.raw).toContain('To: ada@example.com, bob@example.com');
    expect(mail.raw).toContain('Cc: carol@example.com');
    expect(mail.raw).toContain('Reply-To: support@switchyard.test');
    expect(mail.raw).toContain(`Message-ID: ${res.id}`);
    expect(mail.raw).toContain(`${IDEMPOTENCY_HEADER}: run_1:send_receipt`);
    expect(mail.raw).toContain('Content-Type: text/plain');
    expect(mail.raw).toContain('Thanks for paying 42 USD.');
    expect(mail.raw).toContain('Content-Type: text/html');
    expect(mail.raw).toContain('<p>Thanks for paying <b>42 USD</b>.</p>');
  });

  it('does not send a key twice from the same process', async () => {
    const port = createEmailPort({ smtpUrl, defaultFrom: 'noreply@switchyard.test' });
    const msg = { to: ['ada@example.com'], subject: 'Once', text: 'only once', idempotencyKey: 'run_2:mail' };
    const first = await port.send(msg);
    const second = await port.send(msg);
    expect(second).toEqual(first);
    expect(inbox).toHaveLength(1);
  });

  it('uses the node’s sender over the default', async () => {
    const port = createEmailPort({ smtpUrl, defaultFrom: 'noreply@switchyard.test' });
    await port.send({
      to: ['ada@example.com'],
      from: 'billing@shop.test',
      subject: 'Hi',
      html: '<i>hi</i>',
      idempotencyKey: 'k-from',
    });
    expect(inbox[0]!.from).toBe('billing@shop.test');
  });

  it('fails permanently on an SMTP 5xx refusal', async () => {
    const port = createEmailPort({ smtpUrl, defaultFrom: 'noreply@switchyard.test' });
    const err = await port
      .send({ to: ['bounce@example.com'], subject: 'x', text: 'x', idempotencyKey: 'k-5xx' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect((err as Error).message).toContain('550');
  });

  it('retries an SMTP 4xx deferral', async () => {
    const port = createEmailPort({ smtpUrl, defaultFrom: 'noreply@switchyard.test' });
    const err = await port
      .send({ to: ['busy@example.com'], subject: 'x', text: 'x', idempotencyKey: 'k-4xx' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toContain('451');
  });

  it('retries when the SMTP server cannot be reached', async () => {
    const port = createEmailPort({
      smtpUrl: `smtp://127.0.0.1:${await closedPort()}`,
      defaultFrom: 'noreply@switchyard.test',
    });
    const err = await port
      .send({ to: ['ada@example.com'], subject: 'x', text: 'x', idempotencyKey: 'k-down' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
  });

  it('fails permanently without SMTP_URL or without a sender', async () => {
    const noUrl = await createEmailPort({ smtpUrl: undefined })
      .send({ to: ['a@b.c'], subject: 'x', text: 'x', idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(noUrl).toBeInstanceOf(NonRetriableError);
    expect((noUrl as Error).message).toBe('SMTP_URL is not set');
    const noFrom = await createEmailPort({ smtpUrl })
      .send({ to: ['a@b.c'], subject: 'x', text: 'x', idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(noFrom).toBeInstanceOf(NonRetriableError);
    expect(inbox).toHaveLength(0);
  });
});
