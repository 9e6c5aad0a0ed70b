import { NonRetriableError, RetryableError } from '@switchyard/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStripePort, encodeStripeParams } from '../../src/ports/index.js';
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js';
import { closedPort } from './local-server.js';

describe('Stripe port against the fake Stripe', () => {
  let stripe: FakeStripe;
  let key: string | undefined;
  const port = () => createStripePort({ secretKey: async () => key, apiBase: stripe.url });

  beforeAll(async () => {
    stripe = await startFakeStripe();
  });
  afterAll(() => stripe.close());
  beforeEach(() => {
    stripe.reset();
    key = 'sk_test_123abc4242';
  });

  it('retrieves a customer with the environment key', async () => {
    const c = stripe.seedCustomer({ email: 'ada@example.com', name: 'Ada' });
    const res = await port().request({ method: 'GET', path: `/v1/customers/${c.id}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, object: 'customer', email: 'ada@example.com' });
    expect(res.headers?.['request-id']).toMatch(/^req_/);
    expect(Object.keys(res.body as object)).not.toContain('lastResponse');
    const sent = stripe.requests.at(-1)!;
    expect(sent).toMatchObject({
      method: 'GET',
      path: `/v1/customers/${c.id}`,
      apiKey: 'sk_test_123abc4242',
      body: {},
    });
    expect(sent.headers.authorization).toBe('Bearer sk_test_123abc4242');
    expect(sent.headers['idempotency-key']).toBeUndefined();
  });

  it('puts GET params in the query string with Stripe nesting', async () => {
    stripe.seedCustomer({ email: 'a@example.com' });
    stripe.seedCustomer({ email: 'b@example.com' });
    const res = await port().request({
      method: 'GET',
      path: '/v1/customers',
      params: { email: 'b@example.com', limit: 5, expand: ['data.default_source'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'list',
      has_more: false,
      url: '/v1/customers',
      data: [{ email: 'b@example.com' }],
    });
    expect(stripe.requests.at(-1)!.query).toEqual({
      email: 'b@example.com',
      limit: '5',
      expand: ['data.default_source'],
    });
  });

  it('updates a customer with form-encoded params and the idempotency key as a header', async () => {
    const c = stripe.seedCustomer({ email: 'old@example.com', metadata: { keep: '1', drop: 'x' } });
    const res = await port().request({
      method: 'POST',
      path: `/v1/customers/${c.id}`,
      params: { email: 'new@example.com', metadata: { plan: 'pro', drop: '' }, preferred_locales: ['en', 'fr'] },
      idempotencyKey: 'run_9:update_customer',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: 'new@example.com',
      metadata: { keep: '1', plan: 'pro' },
      preferred_locales: ['en', 'fr'],
    });
    const sent = stripe.requests.at(-1)!;
    expect(sent.headers['idempotency-key']).toBe('run_9:update_customer');
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.rawBody).toContain('metadata[plan]=pro');
    expect(sent.body).toEqual({
      email: 'new@example.com',
      metadata: { plan: 'pro', drop: '' },
      preferred_locales: ['en', 'fr'],
    });
  });

  it('gets the first answer back when the idempotency key is replayed', async () => {
    const c = stripe.seedCustomer({ name: 'before' });
    const call = () =>
      port().request({
        method: 'POST',
        path: `/v1/customers/${c.id}`,
        params: { name: 'after' },
        idempotencyKey: 'same-key',
      });
    const first = await call();
    stripe.state.customers.get(c.id)!.name = 'changed elsewhere';
    const second = await call();
    expect(second.body).toEqual(first.body);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
  });

  it('returns Stripe error statuses with Stripe’s error body', async () => {
    const missing = await port().request({ method: 'GET', path: '/v1/customers/cus_nope' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
        message: "No such customer: 'cus_nope'",
      },
    });

    key = 'not_a_key';
    const unauthorized = await port().request({ method: 'GET', path: '/v1/account' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('Invalid API Key') },
    });
  });

  it('returns 429 and 5xx with their headers for the engine to classify', async () => {
    stripe.failNext({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { type: 'rate_limit_error', message: 'slow down' } },
    });
    const limited = await port().request({ method: 'GET', path: '/v1/account' });
    expect(limited).toMatchObject({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { type: 'rate_limit_error', message: 'slow down' } },
    });

    stripe.failNext({ status: 500 });
    const broken = await port().request({
      method: 'POST',
      path: '/v1/customers',
      params: { name: 'x' },
      idempotencyKey: 'k',
    });
    expect(broken.status).toBe(500);
    expect(stripe.requests).toHaveLength(2); // maxNetworkRetries: 0, the engine retries
  });

  it('throws NonRetriableError when the environment has no key', async () => {
    key = undefined;
    const err = await port()
      .request({ method: 'GET', path: '/v1/account' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect((err as Error).message).toBe('no Stripe secret key is set for this environment');
    expect(stripe.requests).toHaveLength(0);
  });

  it('reads the key on every call (rotation takes effect at once)', async () => {
    const p = port();
    await p.request({ method: 'GET', path: '/v1/account' });
    key = 'sk_live_rotated9999';
    await p.request({ method: 'GET', path: '/v1/account' });
    expect(stripe.requests.map((r) => r.apiKey)).toEqual(['sk_test_123abc4242', 'sk_live_rotated9999']);
  });

  it('refuses paths outside the API', async () => {
    for (const path of ['/v1/customers/../../admin', 'https://evil.example/v1/x', '/v1/customers?x=1', '/admin']) {
      const err = await port()
        .request({ method: 'GET', path })
        .catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(NonRetriableError);
    }
    expect(stripe.requests).toHaveLength(0);
  });

  it('throws a retryable error when Stripe cannot be reached', async () => {
    const p = createStripePort({
      secretKey: async () => 'sk_test_x',
      apiBase: `http://127.0.0.1:${await closedPort()}`,
    });
    const err = await p.request({ method: 'GET', path: '/v1/account' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
  });
});

describe('encodeStripeParams', () => {
  it('nests objects and indexes arrays as Stripe expects', () => {
    expect(encodeStripeParams({ a: { b: 'c d' }, list: ['x', 'y'], n: 1, t: true, skip: undefined, nil: null })).toBe(
      'a[b]=c%20d&list[0]=x&list[1]=y&n=1&t=true',
    );
  });
});
