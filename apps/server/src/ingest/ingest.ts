import type { IncomingMessage } from 'node:http';
import type { WebhookRoute } from '../connections/service.js';
import type { Environment } from '../db/schema.js';
import { type Inbox, UnstorableEventError } from './inbox.js';
import { readCappedBody } from './read-body.js';
import { type PayloadRefusal, parseStripeEvent } from './stripe-event.js';
import { type SignatureCheck, verifyStripeSignature } from './verify-signature.js';
import type { WebhookRouteCache } from './webhook-routes.js';

export type IngestOutcome =
  | { kind: 'unknown_path' }
  | { kind: 'disabled'; environment: Environment }
  | { kind: 'secret_unreadable'; environment: Environment }
  | { kind: 'too_large'; environment: Environment }
  | {
      kind: 'bad_signature';
      environment: Environment;
      reason: Exclude<SignatureCheck, { ok: true }>['reason'];
      message: string;
    }
  | { kind: 'bad_payload'; environment: Environment; reason: PayloadRefusal | 'unstorable'; message: string }
  | { kind: 'stored' | 'duplicate'; environment: Environment; eventId: string; type: string }
  | { kind: 'unavailable'; environment?: Environment; eventId?: string; type?: string; error: unknown };

export interface IngestDeps {
  routes: WebhookRouteCache;
  inbox: Inbox;
  now?: () => number;
  /**
   * Longest wait for the store, in ms (route lookup, then the insert). Past it the delivery answers 503 and Stripe
   * retries; an insert that still commits later makes that retry a duplicate, which answers 200 with nothing new.
   * The database's own statement and lock timeouts normally answer first; this also covers PGlite, which
   * enforces neither, and a connection that stopped answering altogether.
   */
  storeTimeoutMs?: number;
}

/** Steps 1–5 of docs/event-journey.md for one delivery, as a value: the HTTP layer only maps the outcome to a status. */
export async function ingestDelivery(
  deps: IngestDeps,
  path: string,
  request: Request,
  incoming?: IncomingMessage,
): Promise<IngestOutcome> {
  let route: WebhookRoute | undefined;
  try {
    const fresh = deps.routes.fresh();
    route = fresh ? fresh.get(path) : await withDeadline(deps.routes.lookup(path), deps.storeTimeoutMs);
  } catch (error) {
    return { kind: 'unavailable', error };
  }
  if (!route) return { kind: 'unknown_path' };
  const { environment } = route;
  if (!route.enabled) return { kind: 'disabled', environment };
  if (route.signingSecretUnreadable) return { kind: 'secret_unreadable', environment };

  const read = await readCappedBody(request, incoming);
  if (!read.ok) return { kind: 'too_large', environment };

  const now = deps.now?.();
  const check = verifyStripeSignature(
    read.body,
    request.headers.get('stripe-signature') ?? undefined,
    route.signingSecrets,
    now === undefined ? {} : { now },
  );
  if (!check.ok) return { kind: 'bad_signature', environment, reason: check.reason, message: check.message };

  const raw = read.body.toString('utf8');
  const parsed = parseStripeEvent(raw);
  if (!parsed.ok) return { kind: 'bad_payload', environment, reason: parsed.reason, message: parsed.message };
  const { event } = parsed;

  try {
    const result = await withDeadline(
      deps.inbox.store({ environment, event, raw, parsed: parsed.value }),
      deps.storeTimeoutMs,
    );
    return { kind: result, environment, eventId: event.id, type: event.type };
  } catch (error) {
    if (error instanceof UnstorableEventError)
      return { kind: 'bad_payload', environment, reason: 'unstorable', message: error.message };
    return { kind: 'unavailable', environment, eventId: event.id, type: event.type, error };
  }
}

export function statusOf(outcome: IngestOutcome): 200 | 400 | 404 | 413 | 500 | 503 {
  switch (outcome.kind) {
    case 'stored':
    case 'duplicate':
      return 200;
    case 'bad_signature':
    case 'bad_payload':
      return 400;
    case 'unknown_path':
    case 'disabled':
      return 404;
    case 'too_large':
      return 413;
    case 'secret_unreadable':
      return 500;
    case 'unavailable':
      return 503;
  }
}

export function bodyOf(outcome: IngestOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'stored':
    case 'duplicate':
      return { received: true, duplicate: outcome.kind === 'duplicate' };
    case 'bad_signature':
      return { error: 'invalid_signature', reason: outcome.reason, message: outcome.message };
    case 'bad_payload':
      return { error: 'invalid_payload', reason: outcome.reason, message: outcome.message };
    case 'unknown_path':
      return { error: 'not_found', message: 'no webhook is configured at this path' };
    case 'disabled':
      return { error: 'not_found', message: 'this webhook is disabled' };
    case 'too_large':
      return { error: 'payload_too_large', message: 'body exceeds 1 MiB' };
    case 'secret_unreadable':
      return {
        error: 'signing_secret_unreadable',
        message: "this webhook's signing secret cannot be read on this server; retry later",
      };
    case 'unavailable':
      return { error: 'unavailable', message: 'storage is unavailable; retry later' };
  }
}

export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(`the store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
