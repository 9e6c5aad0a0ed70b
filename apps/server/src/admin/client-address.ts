import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address a request came from: the socket's peer, or with `trustedProxies` = n > 0 (TRUST_PROXY) the entry
 * of X-Forwarded-For that the nearest of those n proxies saw. Entries left of that are the client's own claim
 * and could be anything, so they are never used. Requests without a socket (app.request() in tests) share
 * one bucket.
 */
export function clientAddress(c: Context, trustedProxies = 0): string {
  const served = (c.env as Partial<HttpBindings> | undefined)?.incoming !== undefined;
  const peer = (served ? getConnInfo(c).remote.address : undefined) ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const hops = [...forwarded, peer];
  return hops[Math.max(0, hops.length - 1 - trustedProxies)]!;
}
