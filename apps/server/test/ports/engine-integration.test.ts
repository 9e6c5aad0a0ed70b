import type { AddressInfo } from 'node:net';
import { defaultRegistry as registry, runWorkflow } from '@switchyard/engine';
import { createMemoryPorts } from '@switchyard/engine/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailPort, createHttpPort, createStripePort } from '../../src/ports/index.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { stripeEvent } from '../support/stripe-events.js';
import { type LocalServer, startLocalServer } from './local-server.js';

/** The engine's own action nodes, driven through the server's ports. */
describe('engine action nodes over the server ports', () => {
  let stripe: FakeStripe;
  let hook: LocalServer;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const hookCalls: { headers: Record<string, unknown>; body: string }[] = [];
  const mails: string[] = [];
  const event = stripeEvent('invoice.paid');
  const invoice = event.data.object as { id: string; customer: string };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    hook = await startLocalServer((req, res, body) => {
      hookCalls.push({ headers: req.headers, body });
      if (hookCalls.length === 1) res.writeHead(503, { 'retry-after': '2' }).end('busy');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await stripe.close();
    await hook.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('updates the customer, calls a webhook (retrying its 503) and sends a receipt', async () => {
    stripe.seedCustomer({ id: invoice.customer, email: 'payer@example.com', metadata: {} });
    // Without `sleep` the engine hands a transient failure back as status 'retry', as the worker sees it.
    const { sleep: _sleep, ...memory } = createMemoryPorts();
    const ports = {
      ...memory,
      http: createHttpPort({ allowPrivateNetwork: true }),
      stripe: createStripePort({ secretKey: async () => 'sk_test_integration', apiBase: stripe.url }),
      email: createEmailPort({ smtpUrl, defaultFrom: 'receipts@switchyard.test' }),
    };
    const workflow = {
      name: 'paid',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] } },
        {
          id: 'mark',
          type: 'stripe.request',
          config: {
            operation: 'update',
            resource: 'customers',
            id: '{{ context.event.object.customer }}',
            params: { metadata: { last_invoice: '{{ context.event.object.id }}' } },
          },
        },
        {
          id: 'notify',
          type: 'http.request',
          config: { method: 'POST', url: `${hook.url}/paid`, json: { invoice: '{{ context.event.object.id }}' } },
        },
        {
          id: 'receipt',
          type: 'email.send',
          config: {
            to: '{{ context.steps.mark.email }}',
            subject: 'Paid {{ context.event.object.id }}',
            text: 'Thank you.',
          },
        },
      ],
      edges: [
        { id: 'e1', source: 'trigger', target: 'mark' },
        { id: 'e2', source: 'mark', target: 'notify' },
        { id: 'e3', source: 'notify', target: 'receipt' },
      ],
    };
    let result = await runWorkflow({ workflow, event, ports, registry });
    expect(result.status).toBe('retry'); // the hook answered 503 with Retry-After
    result = await runWorkflow({ workflow, event, ports, registry, memo: result.steps });
    expect(result.status).toBe('succeeded');

    const updates = stripe.requests.filter((r) => r.method === 'POST');
    expect(updates).toHaveLength(1); // memoized: the retry did not repeat the Stripe update
    expect(updates[0]!.body).toEqual({ metadata: { last_invoice: invoice.id } });
    expect(updates[0]!.headers['idempotency-key']).toBeTruthy();
    expect(hookCalls).toHaveLength(2);
    expect(hookCalls[0]!.headers['idempotency-key']).toBe(hookCalls[1]!.headers['idempotency-key']);
    expect(JSON.parse(hookCalls[1]!.body)).toEqual({ invoice: invoice.id });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain(`Subject: Paid ${invoice.id}`);
    expect(mails[0]).toContain('To: payer@example.com');
  });
});
