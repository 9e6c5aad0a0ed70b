import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../src/ports/index.js';
import { type FakeStripe, parseForm, startFakeStripe } from '../support/fake-stripe.js';

/** The fake is shared by later suites (webhook registration, reconcile): check it speaks stripe-node. */
describe('fake Stripe', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  beforeAll(async () => {
    fake = await startFakeStripe({ now: () => 1_700_000_000_000 });
    stripe = createStripeClient('sk_test_fake', { apiBase: fake.url });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('parses qs-style form bodies', () => {
    expect(
      parseForm('a[b]=c&enabled_events[0]=x&enabled_events[1]=y&list[]=1&list[]=2&plain=a+b%21&m[k][0][z]=1'),
    ).toEqual({
      a: { b: 'c' },
      enabled_events: ['x', 'y'],
      list: ['1', '2'],
      plain: 'a b!',
      m: { k: [{ z: '1' }] },
    });
  });

  it('answers GET /v1/account', async () => {
    const account = await stripe.accounts.retrieveCurrent();
    expect(account).toMatchObject({ id: 'acct_fake0000000001', object: 'account' });
  });

  it('creates, retrieves, updates, lists and deletes customers', async () => {
    const created = await stripe.customers.create({ email: 'ada@example.com', metadata: { tier: 'gold' } });
    expect(created).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      metadata: { tier: 'gold' },
      created: 1_700_000_000,
      livemode: false,
    });
    expect((await stripe.customers.retrieve(created.id)).id).toBe(created.id);
    const updated = await stripe.customers.update(created.id, { name: 'Ada', metadata: { tier: '' } });
    expect(updated).toMatchObject({ name: 'Ada', metadata: {} });
    const list = await stripe.customers.list({ limit: 1 });
    expect(list).toMatchObject({ object: 'list', has_more: false, url: '/v1/customers' });
    expect(await stripe.customers.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    await expect(stripe.customers.retrieve(created.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('lists subscriptions by customer and updates them', async () => {
    const sub = fake.seedSubscription({ customer: 'cus_1', status: 'active' });
    fake.seedSubscription({ customer: 'cus_2' });
    const list = await stripe.subscriptions.list({ customer: 'cus_1' });
    expect(list.data.map((s) => s.id)).toEqual([sub.id]);
    const updated = await stripe.subscriptions.update(sub.id, {
      cancel_at_period_end: true,
      metadata: { reason: 'test' },
    });
    expect(updated).toMatchObject({ cancel_at_period_end: true, metadata: { reason: 'test' } });
  });

  it('manages webhook endpoints and shows the secret only on create', async () => {
    const created = await stripe.webhookEndpoints.create({
      url: 'https://hooks.example/api/stripe',
      enabled_events: ['checkout.session.completed', 'invoice.paid'],
    });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      status: 'enabled',
      enabled_events: ['checkout.session.completed', 'invoice.paid'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    const body = fake.requests.at(-1)!.body;
    expect(body).toEqual({
      url: 'https://hooks.example/api/stripe',
      enabled_events: ['checkout.session.completed', 'invoice.paid'],
    });

    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    const updated = await stripe.webhookEndpoints.update(created.id, {
      enabled_events: ['invoice.paid'],
      disabled: true,
    });
    expect(updated).toMatchObject({ enabled_events: ['invoice.paid'], status: 'disabled' });
    expect(updated.secret).toBeUndefined();
    expect(fake.state.webhookEndpoints.get(created.id)!.secret).toBe(created.secret);

    const list = await stripe.webhookEndpoints.list();
    expect(list.data.map((w) => [w.id, w.secret])).toEqual([[created.id, undefined]]);
    expect(await stripe.webhookEndpoints.del(created.id)).toMatchObject({ deleted: true });
    await expect(stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('lists events newest first with type, types[], created[gte] and pagination', async () => {
    for (let i = 0; i < 5; i++)
      fake.seedEvent({ id: `evt_${i}`, type: i % 2 ? 'invoice.paid' : 'customer.created', created: 1_000 + i });
    const page1 = await stripe.events.list({ limit: 2 });
    expect(page1.data.map((e) => e.id)).toEqual(['evt_4', 'evt_3']);
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.events.list({ limit: 2, starting_after: 'evt_3' });
    expect(page2.data.map((e) => e.id)).toEqual(['evt_2', 'evt_1']);
    expect((await stripe.events.list({ type: 'invoice.paid' })).data.map((e) => e.id)).toEqual(['evt_3', 'evt_1']);
    expect((await stripe.events.list({ type: 'invoice.*' })).data.map((e) => e.id)).toEqual(['evt_3', 'evt_1']);
    expect(
      (await stripe.events.list({ types: ['customer.created'], created: { gte: 1_002 } })).data.map((e) => e.id),
    ).toEqual(['evt_4', 'evt_2']);
    const all: string[] = [];
    for await (const e of stripe.events.list({ limit: 2 })) all.push(e.id);
    expect(all).toEqual(['evt_4', 'evt_3', 'evt_2', 'evt_1', 'evt_0']);
    expect((await stripe.events.retrieve('evt_0')).type).toBe('customer.created');
  });

  it('replays idempotent requests and refuses a key reused with other params', async () => {
    const a = await stripe.customers.create({ email: 'x@example.com' }, { idempotencyKey: 'k1' });
    const b = await stripe.customers.create({ email: 'x@example.com' }, { idempotencyKey: 'k1' });
    expect(b.id).toBe(a.id);
    expect(fake.state.customers.size).toBe(1);
    await expect(
      stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'k1' }),
    ).rejects.toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
  });

  it('refuses requests without a valid key, in Stripe’s error shape', async () => {
    const res = await fetch(`${fake.url}/v1/customers`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('did not provide an API key') },
    });
    const bad = await fetch(`${fake.url}/v1/customers`, { headers: { authorization: 'Bearer pk_test_nope' } });
    expect(bad.status).toBe(401);
    expect(fake.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it('answers unknown routes with 404', async () => {
    const res = await fetch(`${fake.url}/v1/nothing_here`, { headers: { authorization: 'Bearer sk_test_x' } });
    expect(res.status).toBe(404);
  });

  it('injects failures for matching requests only', async () => {
    fake.failNext({ status: 503, match: (r) => r.path === '/v1/events', times: 2 });
    await expect(stripe.accounts.retrieveCurrent()).resolves.toBeTruthy();
    await expect(stripe.events.list()).rejects.toMatchObject({ statusCode: 503 });
    await expect(stripe.events.list()).rejects.toMatchObject({ statusCode: 503 });
    await expect(stripe.events.list()).resolves.toMatchObject({ object: 'list' });
  });
});
