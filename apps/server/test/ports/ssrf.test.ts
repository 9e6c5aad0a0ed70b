import { type HttpRequest, NonRetriableError } from '@switchyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedReason, createHttpPort, type LookupFn } from '../../src/ports/index.js';
import { type LocalServer, startLocalServer } from './local-server.js';

const get = (url: string): HttpRequest => ({ method: 'GET', url, headers: {}, timeoutMs: 5_000 });

/** DNS as the test says: unknown names fail like NXDOMAIN. */
function fakeDns(table: Record<string, string[]>): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string) => {
    calls.push(host);
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(fn, { calls });
}

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['64:ff9b::a00:1', 'NAT64 private'],
    ['2002:c0a8:0101::1', '6to4 private'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedReason(address)).toContain(reason);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2a00:1450:4001:80b::200e',
  ])('allows public %s', (address) => {
    expect(blockedReason(address)).toBeUndefined();
  });
});

describe('HTTP port network guard', () => {
  const port = createHttpPort({
    allowPrivateNetwork: false,
    lookup: fakeDns({
      'internal.example': ['10.1.2.3'],
      'mixed.example': ['93.184.216.34', '192.168.0.10'],
      localhost: ['127.0.0.1', '::1'],
    }),
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://localhost:8080/admin', 'localhost (resolves to 127.0.0.1)', 'loopback'],
    ['http://10.0.0.1/', '10.0.0.1', 'private'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'link-local'],
    ['http://[::1]:8787/', '::1', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['http://0.0.0.0/', '0.0.0.0', 'unspecified'],
    ['http://100.64.1.1/', '100.64.1.1', 'carrier-grade NAT'],
    ['http://[fd00::1]/', 'fd00::1', 'unique-local'],
    ['http://[fe80::1]/', 'fe80::1', 'link-local'],
    ['http://2130706433/', '127.0.0.1', 'loopback'],
    ['http://0x7f.1/', '127.0.0.1', 'loopback'],
    ['https://internal.example/hook', 'internal.example (resolves to 10.1.2.3)', 'private'],
    ['https://mixed.example/hook', 'mixed.example (resolves to 192.168.0.10)', 'private'],
  ])('refuses %s', async (url, host, reason) => {
    const err = await port.request(get(url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect((err as Error).message).toContain(`request to ${host}`);
    expect((err as Error).message).toContain(reason);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/'])(
    'refuses the scheme of %s',
    async (url) => {
      const err = await port.request(get(url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NonRetriableError);
      expect((err as Error).message).toContain('only http: and https:');
    },
  );
});

describe('HTTP port redirects under the guard', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/to-metadata')
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/to-internal') res.writeHead(307, { location: 'http://internal.example/admin' }).end();
      else if (req.url === '/to-loopback-v6') res.writeHead(301, { location: 'http://[::1]/' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('public content');
    });
  });
  afterAll(() => server.close());

  // 127.0.0.1 stands in for a public host: it is exempted by address, every other private address is still refused.
  const publicPort = (lookup: LookupFn) =>
    createHttpPort({ allowPrivateNetwork: false, allowedAddresses: ['127.0.0.1'], lookup });
  const dns = () => fakeDns({ 'public.example': ['127.0.0.1'], 'internal.example': ['10.0.0.7'] });

  it('reaches the stand-in public host', async () => {
    const res = await publicPort(dns()).request(get(`http://public.example:${server.port}/`));
    expect(res).toMatchObject({ status: 200, body: 'public content' });
  });

  it.each([
    ['/to-metadata', '169.254.169.254', 'link-local'],
    ['/to-internal', 'internal.example (resolves to 10.0.0.7)', 'private'],
    ['/to-loopback-v6', '::1', 'loopback'],
  ])('refuses a public URL redirecting (%s) to a private address', async (path, host, reason) => {
    const err = await publicPort(dns())
      .request(get(`http://public.example:${server.port}${path}`))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect((err as Error).message).toContain(`request to ${host}`);
    expect((err as Error).message).toContain(reason);
  });

  it('connects to the address it checked: a name resolved once per hop, never again at connect time', async () => {
    // A rebinding resolver: the first answer is "public", every later one private.
    const calls: string[] = [];
    const rebinding: LookupFn = async (host) => {
      calls.push(host);
      return [{ address: calls.length === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const res = await publicPort(rebinding).request(get(`http://rebind.example:${server.port}/`));
    expect(res.status).toBe(200);
    expect(calls).toEqual(['rebind.example']);
  });
});
