import { gzipSync } from 'node:zlib';
import { type HttpRequest, NonRetriableError, RetryableError } from '@switchyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPort } from '../../src/ports/index.js';
import { closedPort, type LocalServer, startLocalServer } from './local-server.js';

/** PNG signature plus bytes that are not UTF-8 (0xff) and a NUL. */
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x10]);

describe('HTTP port against a local server (ALLOW_PRIVATE_NETWORK_REQUESTS=true)', () => {
  let server: LocalServer;
  const lookup = async (host: string) => {
    if (host === 'other.test') return [{ address: '127.0.0.1', family: 4 as const }];
    throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  const port = createHttpPort({ allowPrivateNetwork: true, maxResponseBytes: 10_000, lookup });

  beforeAll(async () => {
    server = await startLocalServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const echo = () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
      switch (url.pathname) {
        case '/echo':
          return echo();
        case '/status': {
          const status = Number(url.searchParams.get('code'));
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (url.searchParams.has('retryAfter')) headers['retry-after'] = url.searchParams.get('retryAfter')!;
          return res.writeHead(status, headers).end(JSON.stringify({ status }));
        }
        case '/hang':
          return; // never answers
        case '/big':
          return res
            .writeHead(200, { 'content-type': 'text/plain', 'content-length': '50000' })
            .end(req.method === 'HEAD' ? undefined : 'x'.repeat(50_000));
        case '/big-chunked':
          res.writeHead(200, { 'content-type': 'text/plain' });
          for (let i = 0; i < 50; i++) res.write('y'.repeat(1_000));
          return res.end();
        case '/gzip':
          return res
            .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' })
            .end(gzipSync('héllo compressed'));
        case '/cookies':
          return res.writeHead(200, { 'set-cookie': ['a=1', 'b=2'] }).end('ok');
        case '/see-other':
          return res.writeHead(303, { location: '/echo?after=303' }).end();
        case '/temporary':
          return res.writeHead(307, { location: '/echo?after=307' }).end();
        case '/cross-origin':
          return res.writeHead(302, { location: `http://other.test:${server.port}/echo` }).end();
        case '/loop':
          return res.writeHead(302, { location: '/loop' }).end();
        case '/binary':
          return res.writeHead(200, { 'content-type': url.searchParams.get('type')! }).end(BINARY);
        case '/nul-text':
          return res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from('a\u0000b'));
        case '/latin1':
          return res
            .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
            .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        case '/no-location':
          return res.writeHead(302).end('no where');
        default:
          return res.writeHead(404).end('not found');
      }
    });
  });
  afterAll(() => server.close());

  const req = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
    method: 'GET',
    url: `${server.url}${path}`,
    headers: {},
    timeoutMs: 5_000,
    ...extra,
  });

  it('sends method, headers (with Idempotency-Key) and a JSON body, and returns status, headers and body', async () => {
    const res = await port.request(
      req('/echo?q=1', {
        method: 'PATCH',
        headers: {
          'Idempotency-Key': 'run_1:node_a',
          'Content-Type': 'application/json',
          'X-Custom': 'yes',
          Host: 'evil.example',
          'Content-Length': '1',
        },
        body: JSON.stringify({ hello: 'wörld' }),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const echo = JSON.parse(res.body) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echo.method).toBe('PATCH');
    expect(echo.path).toBe('/echo?q=1');
    expect(echo.headers['idempotency-key']).toBe('run_1:node_a');
    expect(echo.headers['x-custom']).toBe('yes');
    expect(echo.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(echo.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify({ hello: 'wörld' }))));
    expect(echo.headers['user-agent']).toMatch(/^Switchyard/);
    expect(JSON.parse(echo.body)).toEqual({ hello: 'wörld' });
  });

  it.each([200, 201, 204, 400, 404, 500, 503])('passes status %i through without throwing', async (code) => {
    const res = await port.request(req(`/status?code=${code}`));
    expect(res.status).toBe(code);
  });

  it('keeps 429 with its Retry-After header visible to the engine', async () => {
    const res = await port.request(req('/status?code=429&retryAfter=7'));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('turns a timeout into a retryable error', async () => {
    const err = await port.request(req('/hang', { timeoutMs: 150 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toContain('timed out after 150 ms');
  });

  it('turns a refused connection into a retryable error', async () => {
    const free = await closedPort();
    const err = await port
      .request({ method: 'GET', url: `http://127.0.0.1:${free}/`, headers: {}, timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('refuses a response larger than the cap, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const err = await port.request(req(path)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NonRetriableError);
      expect((err as Error).message).toContain('larger than 10000 bytes');
    }
  });

  it('answers HEAD with headers only, even when the declared length exceeds the cap', async () => {
    const res = await port.request(req('/big', { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('50000');
    expect(res.body).toBe('');
  });

  it('decodes gzip and the declared charset', async () => {
    const res = await port.request(req('/gzip'));
    expect(res.body).toBe('héllo compressed');
  });

  it('joins repeated headers', async () => {
    const res = await port.request(req('/cookies'));
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
  });

  it('follows 303 as GET without the body', async () => {
    const res = await port.request(
      req('/see-other', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k1' },
        body: '{"a":1}',
      }),
    );
    const echo = JSON.parse(res.body) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echo).toMatchObject({ method: 'GET', path: '/echo?after=303', body: '' });
    expect(echo.headers['content-type']).toBeUndefined();
    expect(echo.headers['idempotency-key']).toBe('k1');
  });

  it('follows 307 keeping method and body', async () => {
    const res = await port.request(
      req('/temporary', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'same body' }),
    );
    expect(JSON.parse(res.body)).toMatchObject({ method: 'POST', path: '/echo?after=307', body: 'same body' });
  });

  it('keeps only harmless headers when a redirect changes origin: every credential the workflow set stays home', async () => {
    const credentials = {
      Authorization: 'Bearer secret',
      Cookie: 'session=1',
      'Proxy-Authorization': 'Basic cHJveHk=',
      'X-Api-Key': 'key_123',
      'X-Vendor-Token': 'tok_456',
    };
    const res = await port.request(
      req('/cross-origin', {
        headers: { ...credentials, Accept: 'application/json', 'Idempotency-Key': 'k9', 'User-Agent': 'mine' },
      }),
    );
    const echo = JSON.parse(res.body) as { headers: Record<string, string> };
    expect(echo.headers.host).toBe(`other.test:${server.port}`);
    for (const name of Object.keys(credentials)) expect(echo.headers[name.toLowerCase()]).toBeUndefined();
    expect(echo.headers).toMatchObject({ accept: 'application/json', 'idempotency-key': 'k9', 'user-agent': 'mine' });
  });

  it('keeps the headers on a redirect within the origin', async () => {
    const res = await port.request(req('/temporary', { headers: { 'X-Api-Key': 'key_123' } }));
    expect((JSON.parse(res.body) as { headers: Record<string, string> }).headers['x-api-key']).toBe('key_123');
  });

  it('answers a binary body as base64 with its encoding marked, and text as text', async () => {
    const png = await port.request(req('/binary?type=image/png'));
    expect(png).toMatchObject({ bodyEncoding: 'base64' });
    expect(Buffer.from(png.body, 'base64').equals(BINARY)).toBe(true);
    // Declared as text but not UTF-8 (or holding NUL bytes): still binary, not mangled into replacement characters.
    const mislabelled = await port.request(req('/binary?type=text/plain'));
    expect(mislabelled.bodyEncoding).toBe('base64');
    expect(Buffer.from(mislabelled.body, 'base64').equals(BINARY)).toBe(true);
    const nul = await port.request(req('/nul-text'));
    expect(nul).toMatchObject({ body: Buffer.from('a\u0000b').toString('base64'), bodyEncoding: 'base64' });
    const text = await port.request(req('/gzip'));
    expect(text.bodyEncoding).toBeUndefined();
    const latin1 = await port.request(req('/latin1'));
    expect(latin1).toMatchObject({ body: 'café' });
    expect(latin1.bodyEncoding).toBeUndefined();
  });

  it('stops after 5 redirects', async () => {
    const err = await port.request(req('/loop')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect((err as Error).message).toContain('more than 5 redirects');
  });

  it('returns a redirect without Location as it is', async () => {
    const res = await port.request(req('/no-location'));
    expect(res).toMatchObject({ status: 302, body: 'no where' });
  });

  it('refuses credentials in the URL', async () => {
    const err = await port
      .request({ ...req('/echo'), url: `http://user:pw@127.0.0.1:${server.port}/echo` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
  });
});
