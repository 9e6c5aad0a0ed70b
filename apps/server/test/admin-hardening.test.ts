import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { invoiceWorkflow } from './support/workflows.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a connection of its own, from `localAddress` (any of 127.0.0.0/8 reaches a loopback server). */
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method ?? 'GET',
        headers: { ...init.headers, connection: 'close' },
        agent: false,
        ...(init.localAddress ? { localAddress: init.localAddress } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * Streams up to `totalBytes` as the body until the server answers, and says how many bytes were written by then.
 * Writes wait for the socket to drain, so bytes the server does not read stop the sender instead of piling up.
 */
function streamUntilAnswered(
  url: string,
  headers: Record<string, string>,
  totalBytes: number,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent });
      });
    });
    // The server may close its side once it has answered; what matters is the answer and the count.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describeEachDriver('admin surface', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    t = testApp(ctx.database);
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('body limits', () => {
    const FOUR_HUNDRED_MB = 400 * 1024 * 1024;

    it('refuses a 400 MB chunked login body with 413 before reading it', async () => {
      const res = await streamUntilAnswered(
        `${url}/admin/api/session`,
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        FOUR_HUNDRED_MB,
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large', message: expect.any(String) });
      // The answer came while almost all of the body was still unsent.
      expect(res.sent).toBeLessThan(FOUR_HUNDRED_MB / 10);
    });

    it('refuses a login whose Content-Length claims 400 MB at once, whatever follows', async () => {
      const res = await streamUntilAnswered(
        `${url}/admin/api/session`,
        { 'content-type': 'application/json', 'content-length': String(FOUR_HUNDRED_MB) },
        FOUR_HUNDRED_MB,
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
      expect(res.sent).toBeLessThan(FOUR_HUNDRED_MB / 10);
    });

    it('refuses a 5 KiB login body and takes a normal one', async () => {
      const big = await call(`${url}/admin/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'x'.repeat(5 * 1024) }),
        localAddress: '127.0.0.9',
      });
      expect(big.status).toBe(413);
      const ok = await call(`${url}/admin/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: ADMIN_TOKEN }),
        localAddress: '127.0.0.9',
      });
      expect(ok.status).toBe(200);
    });

    it('caps the rest of the admin API at 2 MiB, chunked or not, and still takes a workflow document', async () => {
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
      const doc = invoiceWorkflow('Body limit');
      const padded = JSON.stringify({ ...doc, description: 'x'.repeat(2 * 1024 * 1024) });
      const declared = await call(`${url}/admin/api/workflows`, { method: 'POST', headers: auth, body: padded });
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ error: 'payload_too_large' });
      const chunked = await streamUntilAnswered(
        `${url}/admin/api/workflows`,
        { ...auth, 'transfer-encoding': 'chunked' },
        FOUR_HUNDRED_MB,
      );
      expect(chunked.status).toBe(413);
      expect(chunked.sent).toBeLessThan(FOUR_HUNDRED_MB / 10);
      const fits = await call(`${url}/admin/api/workflows`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(doc),
      });
      expect(fits.status, fits.body).toBe(201);
      const fitsChunked = await call(`${url}/admin/api/workflows`, {
        method: 'POST',
        headers: { ...auth, 'transfer-encoding': 'chunked' },
        body: JSON.stringify(invoiceWorkflow('Chunked under the limit')),
      });
      expect(fitsChunked.status, fitsChunked.body).toBe(201);
    });

    it('reads no body at all for an anonymous caller', async () => {
      const res = await streamUntilAnswered(
        `${url}/admin/api/workflows`,
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        FOUR_HUNDRED_MB,
      );
      expect(res.status).toBe(401);
      expect(res.sent).toBeLessThan(FOUR_HUNDRED_MB / 10);
    });
  });

  describe('login throttling', () => {
    const login = (token: string, localAddress: string) =>
      call(`${url}/admin/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        localAddress,
      });

    it('refuses the 11th wrong token from one address with 429, the right one too, while another address logs in', async () => {
      const before = await login(ADMIN_TOKEN, '127.0.0.2');
      expect(before.status).toBe(200);
      const cookie = String(before.headers['set-cookie']).split(';')[0]!;
      for (let attempt = 1; attempt <= 10; attempt++)
        expect((await login(`wrong-${attempt}`, '127.0.0.2')).status, `attempt ${attempt}`).toBe(401);
      const eleventh = await login('wrong-11', '127.0.0.2');
      expect(eleventh.status).toBe(429);
      expect(JSON.parse(eleventh.body)).toMatchObject({ error: 'too_many_attempts' });
      expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
      // Blocked means blocked: a right guess would otherwise be told apart from a wrong one.
      expect((await login(ADMIN_TOKEN, '127.0.0.2')).status).toBe(429);
      const bearer = await call(`${url}/admin/api/workflows`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        localAddress: '127.0.0.2',
      });
      expect(bearer.status).toBe(429);
      // A browser logged in before the attack keeps working: its session is no guess.
      const session = await call(`${url}/admin/api/workflows`, { headers: { cookie }, localAddress: '127.0.0.2' });
      expect(session.status).toBe(200);

      expect((await login(ADMIN_TOKEN, '127.0.0.3')).status).toBe(200);
    });

    it('counts wrong bearer tokens too, but not a missing or stale session', async () => {
      const get = (headers: Record<string, string>) =>
        call(`${url}/admin/api/workflows`, { headers, localAddress: '127.0.0.4' });
      for (let i = 0; i < 20; i++) expect((await get({ cookie: 'sy_session=1.stale' })).status).toBe(401);
      expect((await get({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await get({ authorization: 'Bearer guess' })).status).toBe(401);
      expect((await get({ authorization: 'Bearer guess' })).status).toBe(429);
    });
  });
});

describeEachDriver('admin surface behind a proxy', (ctx) => {
  it('throttles by the X-Forwarded-For entry the trusted proxy added, not by what the client claims', async () => {
    const t = testApp(ctx.database, { trustedProxies: 1 });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/session`;
      const login = (token: string, forwardedFor: string) =>
        call(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ token }),
        });
      // The attacker varies the part it controls (left); the proxy appends the address it saw (right).
      for (let i = 0; i < 10; i++) expect((await login('wrong', `10.0.0.${i}, 203.0.113.7`)).status).toBe(401);
      expect((await login(ADMIN_TOKEN, '10.9.9.9, 203.0.113.7')).status).toBe(429);
      expect((await login(ADMIN_TOKEN, '203.0.113.8')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describeEachDriver('cookie-authenticated changes', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let cookie: string;

  beforeAll(async () => {
    t = testApp(ctx.database);
    const login = await t.app.request('/admin/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    expect(login.status).toBe(200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  });

  const create = (headers: Record<string, string>) =>
    t.app.request('/admin/api/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(invoiceWorkflow('Origin check')),
    });

  it('refuses a cookie POST without Origin or from another origin with 403', async () => {
    const attempts: Record<string, string>[] = [
      { cookie },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, origin: `${PUBLIC_URL}.evil.example` },
      { cookie, referer: 'https://evil.example/page' },
    ];
    for (const headers of attempts) {
      const res = await create(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({
        error: 'forbidden_origin',
        message: expect.stringContaining(PUBLIC_URL),
      });
    }
    const deleted = await t.app.request('/admin/api/workflows/1', { method: 'DELETE', headers: { cookie } });
    expect(deleted.status).toBe(403);
  });

  it('takes a cookie POST from PUBLIC_URL (Origin, or Referer without Origin), and reads without either', async () => {
    expect((await create({ cookie, origin: PUBLIC_URL })).status).toBe(201);
    expect((await create({ cookie, referer: `${PUBLIC_URL}/workflows` })).status).toBe(201);
    expect((await t.app.request('/admin/api/workflows', { headers: { cookie } })).status).toBe(200);
  });

  it('takes a bearer call without Origin', async () => {
    expect((await create({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(201);
    expect((await create({ authorization: `Bearer ${ADMIN_TOKEN}`, origin: 'https://tool.example' })).status).toBe(201);
  });
});
