/**
 * A small local Stripe for tests: node:http on 127.0.0.1:<random>, form-encoded
 * bodies, Bearer keys, Stripe's error and list shapes, idempotent replays and
 * an in-memory store. Point stripe-node (or STRIPE_API_BASE) at `url`.
 *
 *   const stripe = await startFakeStripe();
 *   stripe.seedCustomer({ id: 'cus_1', email: 'a@b.c' });
 *   stripe.seedEvent({ type: 'customer.created', data: { object: {...} } });
 *   stripe.failNext({ status: 500 });            // inject a failure
 *   expect(stripe.requests.at(-1)?.body).toEqual({...});
 *   await stripe.close();
 *
 * Supported: GET /v1/account; customers create/retrieve/update/list/delete;
 * subscriptions retrieve/update/list (seed them); webhook_endpoints
 * create/retrieve/update/list/delete; events list/retrieve (types[] capped at
 * 20 as Stripe does); retrieve of seeded objects of any other resource
 * (`seedObject('invoices', {...})`, `seedObject('checkout/sessions', {...})`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StripeObject = Record<string, unknown> & { id: string };

export interface FakeStripeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, unknown>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The form body, parsed with qs-style nesting. */
  body: Record<string, unknown>;
  rawBody: string;
  /** The Bearer key, when one was sent. */
  apiKey?: string;
  /** The status the fake answered. */
  status?: number;
}

export interface FakeStripeState {
  account: StripeObject;
  customers: Map<string, StripeObject>;
  subscriptions: Map<string, StripeObject>;
  webhookEndpoints: Map<string, StripeObject>;
  /** Seeded objects of other resources by path (`invoices`, `checkout/sessions`…), retrievable with GET /v1/<path>/<id>. */
  objects: Map<string, Map<string, StripeObject>>;
  /** Every event, in insertion order (listed newest first). */
  events: StripeObject[];
  /** `${apiKey}\n${idempotencyKey}` → the first answer. */
  idempotency: Map<string, { method: string; path: string; rawBody: string; status: number; body: unknown }>;
}

export interface FailureSpec {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Only requests this matches fail; default: the next request. */
  match?: (req: FakeStripeRequest) => boolean;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface FakeStripeOptions {
  /** Accept only these keys; default any `sk_test_`/`sk_live_`/`rk_test_`/`rk_live_` key. */
  keys?: string[];
  /** ms since epoch for `created`; default Date.now. */
  now?: () => number;
}

export interface FakeStripe {
  /** e.g. http://127.0.0.1:54321 (no trailing slash); use as STRIPE_API_BASE. */
  url: string;
  port: number;
  state: FakeStripeState;
  requests: FakeStripeRequest[];
  seedCustomer(fields?: Partial<StripeObject>): StripeObject;
  seedSubscription(fields?: Partial<StripeObject>): StripeObject;
  /** Stores an object under a resource path (`invoices`, `checkout/sessions`…) for GET /v1/<path>/<id>; replaces one with the same id. */
  seedObject(resource: string, fields: StripeObject): StripeObject;
  /** Adds an event (defaults: fresh id, `created` now, `object: 'event'`); listed newest first by `created`. */
  seedEvent(fields: Partial<StripeObject> & { type: string }): StripeObject;
  failNext(spec: FailureSpec): void;
  /** Forget requests, stored objects, events, idempotency keys and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
  ) {
    super(String(error.message));
  }
}

const KEY_PATTERN = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_fake${String(++counter).padStart(8, '0')}`;
  const secretChars = () => `${counter.toString(36)}${Math.random().toString(36).slice(2)}`.padEnd(24, '0');

  const emptyState = (): FakeStripeState => ({
    account: {
      id: 'acct_fake0000000001',
      object: 'account',
      country: 'US',
      default_currency: 'usd',
      email: 'owner@example.com',
      charges_enabled: true,
      payouts_enabled: true,
      settings: { dashboard: { display_name: 'Fake Stripe' } },
    },
    customers: new Map(),
    subscriptions: new Map(),
    webhookEndpoints: new Map(),
    objects: new Map(),
    events: [],
    idempotency: new Map(),
  });
  const state = emptyState();
  const requests: FakeStripeRequest[] = [];
  let failures: FailureSpec[] = [];

  const livemodeOf = (key: string | undefined) => Boolean(key && /_live_/.test(key));

  // ---- resources ----------------------------------------------------------

  function newCustomer(fields: Record<string, unknown>, livemode: boolean): StripeObject {
    const c: StripeObject = {
      id: nextId('cus'),
      object: 'customer',
      created: seconds(),
      livemode,
      email: null,
      name: null,
      phone: null,
      description: null,
      balance: 0,
      currency: null,
      delinquent: false,
      metadata: {},
      ...fields,
    } as StripeObject;
    state.customers.set(c.id, c);
    return c;
  }

  function newSubscription(fields: Record<string, unknown>): StripeObject {
    const s: StripeObject = {
      id: nextId('sub'),
      object: 'subscription',
      created: seconds(),
      livemode: false,
      customer: null,
      status: 'active',
      cancel_at_period_end: false,
      canceled_at: null,
      items: { object: 'list', data: [], has_more: false, url: '/v1/subscription_items' },
      metadata: {},
      ...fields,
    } as StripeObject;
    state.subscriptions.set(s.id, s);
    return s;
  }

  function missing(kind: string, id: string): never {
    throw new StripeHttpError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
      message: `No such ${kind}: '${id}'`,
    });
  }

  function find(map: Map<string, StripeObject>, kind: string, id: string): StripeObject {
    return map.get(id) ?? missing(kind, id);
  }

  /** Stripe's update semantics: metadata merges (an empty value unsets a key); other empty strings unset to null. */
  function applyUpdate(
    target: StripeObject,
    body: Record<string, unknown>,
    coerce: Record<string, (v: unknown) => unknown> = {},
  ): void {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'expand') continue;
      if (k === 'metadata') {
        if (v === '') {
          target.metadata = {};
          continue;
        }
        const meta = { ...((target.metadata as Record<string, unknown>) ?? {}) };
        for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) {
          if (mv === '') delete meta[mk];
          else meta[mk] = mv;
        }
        target.metadata = meta;
      } else if (coerce[k]) {
        target[k] = coerce[k](v);
      } else {
        target[k] = v === '' ? null : v;
      }
    }
  }

  function list(items: StripeObject[], query: Record<string, unknown>, url: string): Answer {
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 10) || 10));
    let start = 0;
    if (typeof query.starting_after === 'string') {
      const i = items.findIndex((o) => o.id === query.starting_after);
      if (i < 0) missing('object', query.starting_after);
      start = i + 1;
    } else if (typeof query.ending_before === 'string') {
      const i = items.findIndex((o) => o.id === query.ending_before);
      if (i < 0) missing('object', query.ending_before);
      const from = Math.max(0, i - limit);
      return { status: 200, body: { object: 'list', data: items.slice(from, i), has_more: from > 0, url } };
    }
    const page = items.slice(start, start + limit);
    return { status: 200, body: { object: 'list', data: page, has_more: start + limit < items.length, url } };
  }

  /** Newest first, ties broken by insertion order (later first), as Stripe lists. */
  function newestFirst(values: Iterable<StripeObject>): StripeObject[] {
    return [...values]
      .map((o, i) => ({ o, i }))
      .sort((a, b) => Number(b.o.created) - Number(a.o.created) || b.i - a.i)
      .map(({ o }) => o);
  }

  function createdFilter(created: unknown): (o: StripeObject) => boolean {
    if (created === undefined) return () => true;
    if (typeof created === 'string') return (o) => Number(o.created) === Number(created);
    const c = created as Record<string, string>;
    return (o) => {
      const t = Number(o.created);
      return (
        (c.gte === undefined || t >= Number(c.gte)) &&
        (c.gt === undefined || t > Number(c.gt)) &&
        (c.lte === undefined || t <= Number(c.lte)) &&
        (c.lt === undefined || t < Number(c.lt))
      );
    };
  }

  function typeMatches(pattern: string, type: string): boolean {
    return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
  }

  function withoutSecret(we: StripeObject): StripeObject {
    const { secret: _secret, ...rest } = we;
    return rest as StripeObject;
  }

  function requireEvents(body: Record<string, unknown>): string[] {
    const events = body.enabled_events;
    if (!Array.isArray(events) || events.length === 0) {
      throw new StripeHttpError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'enabled_events',
        message: 'Missing required param: enabled_events.',
      });
    }
    return events.map(String);
  }

  // ---- routing ------------------------------------------------------------

  function route(req: FakeStripeRequest): Answer {
    const { method, path, query, body } = req;
    const livemode = livemodeOf(req.apiKey);
    const seg = path.split('/').filter(Boolean);
    const ok = (b: unknown): Answer => ({ status: 200, body: b });
    if (seg[0] !== 'v1') return unknownRoute(req);
    const [, resource, id, ...rest] = seg;
    // Seeded objects of other resources: GET /v1/invoices/in_1, GET /v1/checkout/sessions/cs_1.
    if (method === 'GET' && seg.length >= 3) {
      const objectId = seg.at(-1)!;
      const store = state.objects.get(seg.slice(1, -1).join('/'));
      if (store)
        return ok(
          store.get(objectId) ?? missing(seg.slice(1, -1).join('/').replace(/s$/, '').replace('/', '.'), objectId),
        );
    }
    if (rest.length > 0) return unknownRoute(req);

    switch (resource) {
      case 'account':
        if (method === 'GET' && !id) return ok(state.account);
        break;
      case 'customers':
        if (!id && method === 'POST') return ok(newCustomer(body, livemode));
        if (!id && method === 'GET') {
          const all = newestFirst(state.customers.values())
            .filter((c) => !c.deleted && (query.email === undefined || c.email === query.email))
            .filter(createdFilter(query.created));
          return list(all, query, '/v1/customers');
        }
        if (id && method === 'GET') return ok(find(state.customers, 'customer', id));
        if (id && method === 'POST') {
          const c = find(state.customers, 'customer', id);
          applyUpdate(c, body);
          return ok(c);
        }
        if (id && method === 'DELETE') {
          find(state.customers, 'customer', id);
          state.customers.delete(id);
          return ok({ id, object: 'customer', deleted: true });
        }
        break;
      case 'subscriptions':
        if (!id && method === 'GET') {
          const all = newestFirst(state.subscriptions.values())
            .filter((s) => query.customer === undefined || s.customer === query.customer)
            .filter((s) =>
              query.status === undefined
                ? s.status !== 'canceled'
                : query.status === 'all' || s.status === query.status,
            )
            .filter(createdFilter(query.created));
          return list(all, query, '/v1/subscriptions');
        }
        if (id && method === 'GET') return ok(find(state.subscriptions, 'subscription', id));
        if (id && method === 'POST') {
          const s = find(state.subscriptions, 'subscription', id);
          applyUpdate(s, body, { cancel_at_period_end: (v) => v === 'true' || v === true });
          return ok(s);
        }
        break;
      case 'webhook_endpoints':
        if (!id && method === 'POST') {
          if (typeof body.url !== 'string' || body.url === '') {
            throw new StripeHttpError(400, {
              type: 'invalid_request_error',
              code: 'parameter_missing',
              param: 'url',
              message: 'Missing required param: url.',
            });
          }
          const we: StripeObject = {
            id: nextId('we'),
            object: 'webhook_endpoint',
            api_version: typeof body.api_version === 'string' ? body.api_version : null,
            application: null,
            created: seconds(),
            description: typeof body.description === 'string' ? body.description : null,
            enabled_events: requireEvents(body),
            livemode,
            metadata: (body.metadata as Record<string, unknown>) ?? {},
            status: 'enabled',
            url: body.url,
            secret: `whsec_${secretChars()}`,
          };
          state.webhookEndpoints.set(we.id, we);
          return ok(we);
        }
        if (!id && method === 'GET')
          return list(newestFirst(state.webhookEndpoints.values()).map(withoutSecret), query, '/v1/webhook_endpoints');
        if (id && method === 'GET') return ok(withoutSecret(find(state.webhookEndpoints, 'webhook endpoint', id)));
        if (id && method === 'POST') {
          const we = find(state.webhookEndpoints, 'webhook endpoint', id);
          const { disabled, enabled_events, ...restBody } = body;
          if (enabled_events !== undefined) we.enabled_events = requireEvents(body);
          if (disabled !== undefined) we.status = disabled === 'true' || disabled === true ? 'disabled' : 'enabled';
          applyUpdate(we, restBody);
          return ok(withoutSecret(we));
        }
        if (id && method === 'DELETE') {
          find(state.webhookEndpoints, 'webhook endpoint', id);
          state.webhookEndpoints.delete(id);
          return ok({ id, object: 'webhook_endpoint', deleted: true });
        }
        break;
      case 'events':
        if (!id && method === 'GET') {
          const types = [
            ...(typeof query.type === 'string' ? [query.type] : []),
            ...(Array.isArray(query.types)
              ? query.types.map(String)
              : typeof query.types === 'object' && query.types
                ? Object.values(query.types).map(String)
                : []),
          ];
          if (types.length > 20) {
            throw new StripeHttpError(400, {
              type: 'invalid_request_error',
              param: 'types',
              message: `You may pass at most 20 event types in \`types\`; you passed ${types.length}.`,
            });
          }
          const all = newestFirst(state.events)
            .filter((e) => types.length === 0 || types.some((t) => typeMatches(t, String(e.type))))
            .filter(createdFilter(query.created));
          return list(all, query, '/v1/events');
        }
        if (id && method === 'GET') return ok(state.events.find((e) => e.id === id) ?? missing('event', id));
        break;
    }
    return unknownRoute(req);
  }

  function unknownRoute(req: FakeStripeRequest): never {
    throw new StripeHttpError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.path}). The fake Stripe does not implement this endpoint.`,
    });
  }

  function authenticate(req: FakeStripeRequest): void {
    const header = req.headers.authorization;
    if (!header) {
      throw new StripeHttpError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const valid = key !== undefined && (options.keys ? options.keys.includes(key) : KEY_PATTERN.test(key));
    if (!valid) {
      const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
      throw new StripeHttpError(401, {
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API Key provided: ${shown}`,
      });
    }
  }

  function answer(req: FakeStripeRequest): Answer {
    const failIndex = failures.findIndex((f) => !f.match || f.match(req));
    if (failIndex >= 0) {
      const f = failures[failIndex]!;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) failures.splice(failIndex, 1);
      return {
        status: f.status,
        body: f.body ?? { error: { type: 'api_error', message: `Injected failure (${f.status})` } },
        ...(f.headers ? { headers: f.headers } : {}),
      };
    }
    try {
      authenticate(req);
      const idem = req.headers['idempotency-key'];
      if (req.method === 'POST' && idem) {
        const slot = `${req.apiKey}\n${idem}`;
        const earlier = state.idempotency.get(slot);
        if (earlier) {
          if (earlier.method !== req.method || earlier.path !== req.path || earlier.rawBody !== req.rawBody) {
            throw new StripeHttpError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idem}' if you meant to execute a different request.`,
            });
          }
          return {
            status: earlier.status,
            body: earlier.body,
            headers: { 'idempotent-replayed': 'true', 'original-request': 'req_replayed' },
          };
        }
        const fresh = safeRoute(req);
        // Stripe does not save answers to requests that failed validation before execution (400s are saved, 5xx/429 are not).
        if (fresh.status < 500 && fresh.status !== 429)
          state.idempotency.set(slot, {
            method: req.method,
            path: req.path,
            rawBody: req.rawBody,
            status: fresh.status,
            body: snapshot(fresh.body),
          });
        return fresh;
      }
      return route(req);
    } catch (err) {
      if (err instanceof StripeHttpError) return { status: err.status, body: { error: err.error } };
      throw err;
    }
  }

  function safeRoute(req: FakeStripeRequest): Answer {
    try {
      const a = route(req);
      return { ...a, body: snapshot(a.body) };
    } catch (err) {
      if (err instanceof StripeHttpError) return { status: err.status, body: { error: err.error } };
      throw err;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake-stripe.local');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const apiKey = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const record: FakeStripeRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: parseForm(url.search.slice(1)),
      headers,
      body: parseForm(rawBody),
      rawBody,
      ...(apiKey ? { apiKey } : {}),
    };
    requests.push(record);
    let out: Answer;
    try {
      out = answer(record);
    } catch (err) {
      out = {
        status: 500,
        body: { error: { type: 'api_error', message: `fake Stripe crashed: ${(err as Error).message}` } },
      };
    }
    record.status = out.status;
    const text = JSON.stringify(out.body);
    res.writeHead(out.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': `req_fake${String(requests.length).padStart(6, '0')}`,
      ...(headers['stripe-version'] ? { 'stripe-version': headers['stripe-version'] } : {}),
      ...out.headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    requests,
    seedCustomer: (fields = {}) => newCustomer(fields, false),
    seedSubscription: (fields = {}) => newSubscription(fields),
    seedObject(resource, fields) {
      const store = state.objects.get(resource) ?? new Map();
      state.objects.set(resource, store);
      store.set(fields.id, fields);
      return fields;
    },
    seedEvent(fields) {
      const event: StripeObject = {
        id: nextId('evt'),
        object: 'event',
        api_version: '2025-01-27.acacia',
        created: seconds(),
        livemode: false,
        pending_webhooks: 0,
        request: { id: null, idempotency_key: null },
        data: { object: {} },
        ...fields,
      } as StripeObject;
      state.events.push(event);
      return event;
    },
    failNext(spec) {
      failures.push({ ...spec });
    },
    reset() {
      const fresh = emptyState();
      state.account = fresh.account;
      state.customers.clear();
      state.subscriptions.clear();
      state.webhookEndpoints.clear();
      state.objects.clear();
      state.events.length = 0;
      state.idempotency.clear();
      requests.length = 0;
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Parses `application/x-www-form-urlencoded` with qs-style nesting:
 * `a[b]=c` → { a: { b: 'c' } }, `x[0]=1&x[1]=2` and `x[]=1&x[]=2` → { x: ['1', '2'] }.
 * Values stay strings, as Stripe receives them.
 */
export function parseForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  if (!text) return root;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) {
      root[key] = value;
      continue;
    }
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let node: Record<string, unknown> = root;
    path.forEach((seg, i) => {
      const last = i === path.length - 1;
      const name = seg === '' ? String(Object.keys(node).length) : seg;
      if (last) {
        node[name] = value;
      } else {
        const child = node[name];
        if (typeof child !== 'object' || child === null) node[name] = {};
        node = node[name] as Record<string, unknown>;
      }
    });
  }
  return arrayify(root) as Record<string, unknown>;
}

/** Objects whose keys are exactly 0..n-1 become arrays, recursively. */
function arrayify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) obj[k] = arrayify(obj[k]);
  const keys = Object.keys(obj);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => obj[k]);
  return obj;
}
