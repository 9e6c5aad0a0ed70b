/**
 * The engine's StripePort over stripe-node's `rawRequest`, with the
 * environment's secret key read per call (keys can be rotated at any time).
 * Stripe answers become `{ status, headers, body }` so the engine classifies
 * 4xx/429/5xx itself; only "could not talk to Stripe" throws.
 */

import {
  NonRetriableError,
  RetryableError,
  type StripePort,
  type StripeRequest,
  type StripeResponse,
} from '@switchyard/engine';
import Stripe from 'stripe';

export interface StripePortOptions {
  /** The environment's secret key, read on every request; undefined when none is set. */
  secretKey: () => Promise<string | undefined>;
  /** STRIPE_API_BASE, e.g. https://api.stripe.com or http://127.0.0.1:12111 for a local fake. */
  apiBase: string;
  /** Stripe-Version to send; stripe-node's pinned version when omitted. */
  apiVersion?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

/** Paths stay within the API: `/v1/...` or `/v2/...`, no dot segments, no query (params go in `params`). */
const PATH = /^\/v[12]\/[A-Za-z0-9_\-/]+$/;
const NO_KEY = 'no Stripe secret key is set for this environment';
const CLIENT_CACHE_LIMIT = 16;

export interface StripeClientOptions {
  apiBase: string;
  apiVersion?: string;
  timeoutMs?: number;
}

/** A stripe-node client aimed at `apiBase` with retries off (the engine retries). */
export function createStripeClient(secretKey: string, options: StripeClientOptions): Stripe {
  const base = new URL(options.apiBase);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new Error(`STRIPE_API_BASE must be an http(s) URL, got ${options.apiBase}`);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port || (protocol === 'https' ? 443 : 80),
    protocol,
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'Switchyard' },
    ...(options.apiVersion ? { apiVersion: options.apiVersion as Stripe.StripeConfig['apiVersion'] } : {}),
  });
}

export function createStripePort(options: StripePortOptions): StripePort {
  // One client per key; a rotated key gets a fresh client, old ones age out.
  const clients = new Map<string, Stripe>();
  const clientFor = (key: string): Stripe => {
    let client = clients.get(key);
    if (!client) {
      client = createStripeClient(key, options);
      if (clients.size >= CLIENT_CACHE_LIMIT) clients.delete(clients.keys().next().value!);
      clients.set(key, client);
    }
    return client;
  };

  return {
    async request(req: StripeRequest): Promise<StripeResponse> {
      if (!PATH.test(req.path) || req.path.includes('//'))
        throw new NonRetriableError(`not a Stripe API path: ${req.path.slice(0, 200)}`);
      const key = (await options.secretKey())?.trim();
      if (!key) throw new NonRetriableError(NO_KEY);
      const params = req.params ?? {};
      // rawRequest takes a body only on POST; GET and DELETE carry params in the query string.
      const path =
        req.method === 'POST' || Object.keys(params).length === 0
          ? req.path
          : `${req.path}?${encodeStripeParams(params)}`;
      const body = req.method === 'POST' ? params : undefined;
      const requestOptions = req.method === 'POST' && req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {};
      try {
        const json = (await clientFor(key).rawRequest(req.method, path, body, requestOptions)) as Record<
          string,
          unknown
        > & { lastResponse?: { statusCode?: number; headers?: Record<string, unknown> } };
        const last = json.lastResponse;
        return { status: last?.statusCode ?? 200, headers: normalizeHeaders(last?.headers), body: { ...json } };
      } catch (err) {
        return mapError(err, `Stripe ${req.method} ${req.path}`);
      }
    },
  };
}

function mapError(err: unknown, what: string): StripeResponse {
  if (err instanceof Stripe.errors.StripeError && typeof err.statusCode === 'number') {
    const raw = { ...(err.raw as Record<string, unknown>) };
    // stripe-node decorates the error body; hand back what Stripe sent.
    delete raw.headers;
    delete raw.statusCode;
    delete raw.requestId;
    return { status: err.statusCode, headers: normalizeHeaders(err.headers), body: { error: raw } };
  }
  if (err instanceof Stripe.errors.StripeConnectionError)
    throw new RetryableError(`${what}: could not reach Stripe: ${err.message}`, { cause: err });
  if (err instanceof Stripe.errors.StripeError) throw new RetryableError(`${what}: ${err.message}`, { cause: err });
  throw new RetryableError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function normalizeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.join(', ');
    else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
  }
  return out;
}

/**
 * Stripe's form encoding: nested objects as `a[b]=c`, arrays as `a[0]=x`,
 * null/undefined skipped, Dates as unix seconds, booleans as true/false.
 */
export function encodeStripeParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (value instanceof Date) {
      parts.push(`${encodeKey(key)}=${Math.floor(value.getTime() / 1000)}`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) parts.push(`${encodeKey(key)}=`);
      for (const [i, v] of value.entries()) add(`${key}[${i}]`, v);
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}[${k}]`, v);
    } else {
      parts.push(`${encodeKey(key)}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(params)) add(k, v);
  return parts.join('&');
}

function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']');
}
