import { describe, expect, it } from 'vitest';
import { defaultRegistry, runWorkflow, triggerEventTypes, triggerMatches } from '../src/index.js';
import { createMemoryPorts, type MemoryPortsOptions } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const registry = defaultRegistry;

const event = loadEvent('invoice.paid');
const obj = event.data.object as { id: string; customer: string; amount_paid: number };

async function runOne(type: string, config: Record<string, unknown>, opts: MemoryPortsOptions = {}) {
  const ports = createMemoryPorts(opts);
  const result = await runWorkflow({
    registry,
    workflow: chain('stripe.invoice', [{ id: 'n', type, config }]),
    event,
    ports,
  });
  const step = result.steps.find((s) => s.nodeId === 'n');
  return { ports, result, step };
}

describe('triggers', () => {
  it('matches family and actions exactly', () => {
    expect(triggerMatches({ type: 'stripe.invoice', config: { actions: [] } }, 'invoice.paid')).toBe(true);
    expect(triggerMatches({ type: 'stripe.invoice', config: { actions: ['paid'] } }, 'invoice.payment_failed')).toBe(
      false,
    );
    expect(triggerMatches({ type: 'stripe.customer' }, 'customer.subscription.updated')).toBe(false);
    expect(
      triggerMatches(
        { type: 'stripe.payment_intent', config: { actions: ['failed'] } },
        'payment_intent.payment_failed',
      ),
    ).toBe(true);
    expect(triggerMatches({ type: 'stripe.charge' }, 'charge.dispute.created')).toBe(false);
    expect(triggerEventTypes({ type: 'stripe.payment_intent', config: { actions: ['failed'] } })).toEqual([
      'payment_intent.payment_failed',
    ]);
  });
});

describe('logic nodes', () => {
  const sw = (cases: unknown[], value: unknown = '{{ context.event.object.amount_paid }}') =>
    runOne('switch', { value, cases });
  it('switch: equals, in, matches, expression, default; first match wins', async () => {
    expect(
      (
        await sw([
          { id: 'a', equals: String(obj.amount_paid) },
          { id: 'b', equals: obj.amount_paid },
        ])
      ).step?.handles,
    ).toEqual(['a']);
    expect((await sw([{ id: 'a', in: [1, obj.amount_paid] }])).step?.handles).toEqual(['a']);
    expect(
      (await sw([{ id: 'a', matches: '^in_', flags: 'i' }], '{{ context.event.object.id }}')).step?.handles,
    ).toEqual(['a']);
    expect((await sw([{ id: 'a', expression: '{{ context.event.object.amount_paid >= 0 }}' }])).step?.handles).toEqual([
      'a',
    ]);
    expect((await sw([{ id: 'a', equals: 'nope' }])).step?.output).toEqual({ value: obj.amount_paid, case: 'default' });
  });
  it('switch: fails when one search would exceed the regex search cost', async () => {
    expect((await sw([{ id: 'a', matches: 'x' }], 'y'.repeat(20_000))).result.status).toBe('succeeded');
    const { result } = await sw([{ id: 'a', matches: '[a-z]{1,1000}x' }], 'y'.repeat(20_000));
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.message).toMatch(
      /^nodes\[n\]\.config\.cases\[0\]\.matches: regular expression input too long/,
    );
  });
  it('if: true/false branches', async () => {
    expect((await runOne('if', { condition: '{{ context.event.object.amount_paid >= 0 }}' })).step?.handles).toEqual([
      'true',
    ]);
    expect((await runOne('if', { condition: false })).step?.handles).toEqual(['false']);
  });
  it('filter: ends the path quietly when false', async () => {
    const doc = chain('stripe.invoice', [
      { id: 'f', type: 'filter', config: { condition: '{{ context.event.livemode }}' } },
      { id: 'after', type: 'log', config: { message: 'x' } },
    ]);
    const r = await runWorkflow({ registry, workflow: doc, event, ports: createMemoryPorts() });
    expect(r.status).toBe('succeeded');
    expect(r.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['trigger', 'succeeded'],
      ['f', 'succeeded'],
      ['after', 'skipped'],
    ]);
  });
  it('loop: fails on a non-array', async () => {
    expect((await runOne('loop', { items: '{{ context.event.object.id }}' })).result.status).toBe('failed');
  });
  it('set: values readable via context.steps', async () => {
    const doc = chain('stripe.invoice', [
      { id: 'vars', type: 'set', config: { values: { who: '{{ context.event.object.customer }}' } } },
      {
        id: 'say',
        type: 'log',
        config: { level: 'warn', message: 'hello {{ context.steps.vars.who }}', data: { n: 1 } },
      },
    ]);
    const ports = createMemoryPorts();
    await runWorkflow({ registry, workflow: doc, event, ports });
    expect(ports.logs).toEqual([
      { level: 'warn', message: `hello ${obj.customer}`, data: { n: 1 }, nodeId: 'say', eventId: event.id },
    ]);
  });
  it('set: expression errors fail the step naming node and field', async () => {
    const { result, step } = await runOne('set', { values: { x: '{{ $number("abc") + 1 }}' } });
    expect(result.status).toBe('failed');
    expect(step?.error?.message).toMatch(/^nodes\[n\]\.config\.values\.x: /);
  });
  it('fail: stops the run with its message', async () => {
    const { result } = await runOne('fail', { message: 'bad invoice {{ context.event.object.id }}' });
    expect(result.status).toBe('failed');
    if (result.status === 'failed')
      expect(result.error).toMatchObject({
        name: 'WorkflowFailError',
        message: `bad invoice ${obj.id}`,
        retryable: false,
      });
  });
});

describe('table nodes', () => {
  it('insert, update, query, delete', async () => {
    const ports = createMemoryPorts();
    const doc = chain('stripe.invoice', [
      { id: 'ins', type: 'table.insert', config: { table: 't', key: 'a', values: { n: 1, tag: 'x' } } },
      { id: 'ins2', type: 'table.insert', config: { table: 't', key: 'b', values: { n: 5, tag: 'y' } } },
      { id: 'upd', type: 'table.update', config: { table: 't', key: 'a', values: { n: 3 } } },
      { id: 'miss', type: 'table.update', config: { table: 't', key: 'zz', values: { n: 3 } } },
      {
        id: 'q',
        type: 'table.query',
        config: {
          table: 't',
          where: [{ field: 'n', op: 'gte', value: 2 }],
          orderBy: [{ field: 'n', direction: 'desc' }],
          limit: 10,
        },
      },
      { id: 'del', type: 'table.delete', config: { table: 't', key: 'b' } },
    ]);
    const r = await runWorkflow({ registry, workflow: doc, event, ports });
    expect(r.status).toBe('succeeded');
    const out = Object.fromEntries(r.steps.map((s) => [s.nodeId, s.output]));
    expect(out.upd).toMatchObject({ updated: true, values: { n: 3, tag: 'x' } });
    expect(out.miss).toEqual({ updated: false });
    expect((out.q as { rows: { key: string }[] }).rows.map((x) => x.key)).toEqual(['b', 'a']);
    expect(out.del).toEqual({ deleted: true });
    expect(ports.rows('t').map((x) => x.key)).toEqual(['a']);
  });
  it('insert fails on an existing key', async () => {
    const ports = createMemoryPorts();
    const doc = chain('stripe.invoice', [
      { id: 'i1', type: 'table.insert', config: { table: 't', key: 'a', values: {} } },
      { id: 'i2', type: 'table.insert', config: { table: 't', key: 'a', values: {} } },
    ]);
    const r = await runWorkflow({ registry, workflow: doc, event, ports });
    expect(r.status).toBe('failed');
    if (r.status === 'failed') expect(r.nodeId).toBe('i2');
  });
  it('upsert fails when the key expression is empty', async () => {
    expect((await runOne('table.upsert', { table: 't', key: '{{ context.nothing }}', values: {} })).result.status).toBe(
      'failed',
    );
  });
});

describe('integration nodes', () => {
  it('http.request sends json, headers and Idempotency-Key; parses json', async () => {
    const { step, ports } = await runOne(
      'http.request',
      {
        method: 'POST',
        url: 'https://hooks.example.com/i/{{ context.event.object.id }}',
        headers: { 'X-Src': 'sy' },
        json: { id: '{{ context.event.object.id }}' },
      },
      { http: () => ({ status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }) },
    );
    expect(ports.httpRequests[0]).toMatchObject({
      method: 'POST',
      url: `https://hooks.example.com/i/${obj.id}`,
      headers: { 'X-Src': 'sy', 'Idempotency-Key': `editor:${event.id}:n`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: obj.id }),
    });
    expect(step?.output).toEqual({ status: 201, headers: { 'content-type': 'application/json' }, body: { ok: true } });
  });
  it('http.request rejects non-http URLs and can ignore error statuses', async () => {
    expect((await runOne('http.request', { url: 'file:///etc/passwd' })).result.status).toBe('failed');
    const { result } = await runOne(
      'http.request',
      { url: 'https://x.example.com', text: 'hi', failOnStatus: false },
      { http: () => ({ status: 404, headers: {}, body: 'no' }) },
    );
    expect(result.status).toBe('succeeded');
  });
  it('stripe.request retrieves, lists and updates with idempotency key on writes', async () => {
    const get = await runOne('stripe.request', {
      operation: 'retrieve',
      resource: 'customers',
      id: '{{ context.event.object.customer }}',
    });
    expect(get.ports.stripeRequests[0]).toEqual({ method: 'GET', path: `/v1/customers/${obj.customer}`, params: {} });
    const list = await runOne('stripe.request', {
      operation: 'list',
      resource: 'checkout_sessions',
      params: { limit: 3 },
    });
    expect(list.ports.stripeRequests[0]).toMatchObject({
      method: 'GET',
      path: '/v1/checkout/sessions',
      params: { limit: 3 },
    });
    const upd = await runOne('stripe.request', {
      operation: 'update',
      resource: 'subscriptions',
      id: 'sub_1',
      params: { metadata: { a: '1' } },
    });
    expect(upd.ports.stripeRequests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/subscriptions/sub_1',
      idempotencyKey: `editor:${event.id}:n`,
    });
  });
  it('stripe.request fails on bad ids and Stripe 4xx errors', async () => {
    expect(
      (await runOne('stripe.request', { operation: 'retrieve', resource: 'customers', id: '../charges' })).result
        .status,
    ).toBe('failed');
    const { result } = await runOne(
      'stripe.request',
      { operation: 'retrieve', resource: 'customers', id: 'cus_x', retry: { attempts: 3 } },
      { stripe: () => ({ status: 404, body: { error: { message: 'No such customer' } } }) },
    );
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expect(result.error.message).toMatch(/No such customer/);
  });
  it('email.send renders templates and validates addresses', async () => {
    const { ports, step } = await runOne('email.send', {
      to: 'a@example.com, b@example.com',
      subject: 'Invoice {{ context.event.object.id }}',
      html: '<b>{{ context.event.object.amount_paid }}</b>',
    });
    expect(ports.emails[0]).toMatchObject({
      to: ['a@example.com', 'b@example.com'],
      subject: `Invoice ${obj.id}`,
      html: `<b>${obj.amount_paid}</b>`,
      idempotencyKey: `editor:${event.id}:n`,
    });
    expect(step?.status).toBe('succeeded');
    expect((await runOne('email.send', { to: 'not-an-address', subject: 's', text: 't' })).result.status).toBe(
      'failed',
    );
  });
});
