import { beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const SECRET_KEY = 'sk_test_51AdminApiKeyabcdefghijklm4242';
const WEBHOOK_SECRET = 'whsec_AdminApiSigningSecretxyz9f3a';

describeEachDriver('admin API', (ctx) => {
  let t: ReturnType<typeof testApp>;
  beforeAll(() => {
    t = testApp(ctx.database);
  });

  it.each([
    ['GET', '/admin/api/environments/production/stripe'],
    ['PUT', '/admin/api/environments/production/stripe'],
    ['GET', '/admin/api/environments/production/events'],
    ['GET', '/admin/api/anything-else'],
  ])('answers 401 to %s %s without a valid token', async (method, path) => {
    expect((await t.app.request(path, { method })).status).toBe(401);
    expect((await t.app.request(path, { method, headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await t.app.request(path, { method, headers: { authorization: 'Basic dGVzdA==' } })).status).toBe(401);
  });

  it('saves a connection and answers it masked, with the webhook URL', async () => {
    const res = await t.admin('PUT', '/environments/production/stripe', {
      secretKey: SECRET_KEY,
      webhookEnabled: true,
      webhookPath: '/stripe/live',
      webhookSecret: WEBHOOK_SECRET,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      environment: 'production',
      secretKey: 'sk_test_…4242',
      webhookSecret: 'whsec_…9f3a',
      webhookEnabled: true,
      webhookPath: '/stripe/live',
      webhookUrl: `${PUBLIC_URL}/api/stripe/live`,
      warnings: [expect.stringMatching(/test-mode key/)],
    });
    const again = await (await t.admin('GET', '/environments/production/stripe')).text();
    for (const text of [JSON.stringify(body), again]) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(WEBHOOK_SECRET);
      expect(text).not.toContain('AdminApiKey');
      expect(text).not.toContain('AdminApiSigningSecret');
    }
  });

  it.each([
    [{ webhookEnabled: true, webhookPath: 'no-slash' }, 'webhookPath'],
    [{ webhookEnabled: true, webhookPath: '/has space' }, 'webhookPath'],
    [{ webhookEnabled: true, webhookPath: '/a/../b' }, 'webhookPath'],
    [{ webhookEnabled: true, webhookPath: '/a//b' }, 'webhookPath'],
    [{ webhookEnabled: true, webhookPath: '/ok', secretKey: 'pk_test_123' }, 'secretKey'],
    [{ webhookEnabled: true, webhookPath: '/ok', webhookSecret: 'nope' }, 'webhookSecret'],
    [{ webhookPath: '/ok' }, 'webhookEnabled'],
    [{ webhookEnabled: true, webhookPath: '/ok', extra: 1 }, '(body)'],
  ])('rejects %j naming %s, changing nothing', async (input, field) => {
    const before = await (await t.admin('GET', '/environments/staging/stripe')).json();
    const res = await t.admin('PUT', '/environments/staging/stripe', input);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toContain(field);
    expect(await (await t.admin('GET', '/environments/staging/stripe')).json()).toEqual(before);
  });

  it('answers 409 when another environment owns the path', async () => {
    const res = await t.admin('PUT', '/environments/staging/stripe', {
      webhookEnabled: true,
      webhookPath: '/stripe/live',
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'path_taken', message: expect.stringContaining('production') });
  });

  it('rejects an unknown environment', async () => {
    expect((await t.admin('GET', '/environments/qa/stripe')).status).toBe(400);
  });

  it('lists received events newest first, paged by cursor', async () => {
    const ids: string[] = [];
    for (const type of ['invoice.paid', 'payment_intent.payment_failed', 'customer.subscription.updated']) {
      const event = freshCopy(stripeEvent(type));
      ids.push(event.id);
      expect((await t.deliver('/stripe/live', JSON.stringify(event), WEBHOOK_SECRET)).status).toBe(200);
    }
    const res = await t.admin('GET', '/environments/production/events?limit=2');
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      id: string;
      action: string;
      type: string;
      receivedAt: string;
      status: string;
    }[];
    expect(page.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page[1]).toMatchObject({
      type: 'payment_intent.payment_failed',
      action: 'failed',
      status: 'received',
      receivedAt: expect.any(String),
    });
    const next = await t.admin(
      'GET',
      `/environments/production/events?limit=2&cursor=${res.headers.get('x-next-cursor')}`,
    );
    expect(((await next.json()) as { id: string }[]).map((e) => e.id)).toEqual([ids[0]]);
    expect((await t.admin('GET', '/environments/staging/events')).status).toBe(200);
    expect(await (await t.admin('GET', '/environments/staging/events')).json()).toEqual([]);

    const one = await t.admin('GET', `/environments/production/events/${ids[0]}`);
    expect(await one.json()).toMatchObject({ id: ids[0], payload: { id: ids[0], type: 'invoice.paid' } });
    expect((await t.admin('GET', '/environments/staging/events/evt_missing')).status).toBe(404);
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await t.app.request('/admin/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/environments/{env}/stripe']!)).toEqual(expect.arrayContaining(['get', 'put']));
    expect(doc.paths['/environments/{env}/events']).toHaveProperty('get');
    expect(doc.components.schemas).toHaveProperty('ConnectionInput');
  });

  it('logs a browser in with an HttpOnly, SameSite=Strict cookie and out again', async () => {
    expect(
      (
        await t.app.request('/admin/api/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: 'wrong' }),
        })
      ).status,
    ).toBe(401);
    const login = await t.app.request('/admin/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sy_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Secure/); // PUBLIC_URL is https in these tests
    const cookie = setCookie.split(';')[0]!;
    expect((await t.app.request('/admin/api/environments/editor/stripe', { headers: { cookie } })).status).toBe(200);
    expect(await (await t.app.request('/admin/api/session', { headers: { cookie } })).json()).toEqual({
      authenticated: true,
    });
    expect(
      (
        await t.app.request('/admin/api/environments/editor/stripe', {
          headers: { cookie: 'sy_session=9999999999.forged' },
        })
      ).status,
    ).toBe(401);
    const logout = await t.app.request('/admin/api/session', { method: 'DELETE', headers: { cookie } });
    expect(logout.headers.get('set-cookie')).toMatch(/sy_session=;.*Max-Age=0/);
  });

  it('answers /healthz once the store answers', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: ctx.driver });
  });
});
