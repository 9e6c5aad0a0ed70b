import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { ConnectionService } from '../connections/service.js';
import type { Db } from '../db/client.js';
import { connections, type Environment } from '../db/schema.js';
import type { Inbox } from '../ingest/inbox.js';
import type { WebhookRouteCache } from '../ingest/webhook-routes.js';
import type { Logger } from '../logger.js';
import { createStripeClient } from '../ports/stripe.js';
import type { WorkflowService } from '../workflows/service.js';
import { fromStripeError, isStripeNotFound, StripeAccountError } from './errors.js';
import { neededEventTypes, sameTypes } from './event-types.js';
import { type ReconcileProgress, type ReconcileResult, reconcileEvents } from './reconcile.js';

/** The API version endpoints are created with and events are listed in: the one this stripe package is built for. */
export const STRIPE_API_VERSION: string = Stripe.API_VERSION;
/** Metadata key that marks an endpoint as registered by Switchyard for an environment. */
export const ENVIRONMENT_METADATA_KEY = 'switchyard_environment';
export const DEFAULT_RECONCILE_SECONDS = 3 * 24 * 60 * 60;
export const MAX_RECONCILE_SECONDS = 30 * 24 * 60 * 60;

export type KeyMode = 'test' | 'live';

export interface RegisterResult {
  endpointId: string;
  status: string;
  enabledEvents: string[];
  url: string;
  /** true when a new endpoint was created, false when an existing one was updated in place. */
  created: boolean;
  mode: KeyMode;
  account: { id: string; name: string | null };
  warnings: string[];
}

export interface RegistrationStatus {
  registered: boolean;
  endpointId: string | null;
  /** Stripe's status of the endpoint (`enabled`, `disabled`), or null when not registered or Stripe could not be asked. */
  status: string | null;
  enabledEvents: string[];
  /** What the deployed workflows need now; differs from enabledEvents until the next save, publish or reconcile syncs it. */
  neededEvents: string[];
  url: string | null;
  webhookUrl: string | null;
  registeredAt: string | null;
  lastEventReceivedAt: string | null;
  lastReconciledAt: string | null;
  stripeError: string | null;
}

export interface StripeAccountDeps {
  db: Db;
  connections: ConnectionService;
  workflows: WorkflowService;
  inbox: Inbox;
  routes: WebhookRouteCache;
  log: Logger;
  stripeApiBase: string;
  /** ms since epoch. */
  clock?: () => number;
}

type Row = typeof connections.$inferSelect;

export function keyMode(secretKey: string): KeyMode {
  return /^(sk|rk)_live_/.test(secretKey) ? 'live' : 'test';
}

/** Production takes live keys, editor and staging take test keys; anything else needs `confirm: true`. */
export function modeMismatch(environment: Environment, mode: KeyMode): string | undefined {
  if (environment === 'production' && mode === 'test')
    return 'production uses a test-mode key: live payments would never reach these workflows';
  if (environment !== 'production' && mode === 'live')
    return `${environment} uses a live-mode key: its workflows would react to real payments and could change real customers`;
  return undefined;
}

/**
 * The environment's side of its Stripe account: register (find, then update in place or create) the webhook
 * endpoint, keep its enabled events equal to what the deployed workflows need, deregister, and reconcile
 * missed events through the same inbox as webhooks.
 */
export class StripeAccountService {
  readonly #d: StripeAccountDeps;
  readonly #clock: () => number;

  constructor(deps: StripeAccountDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? Date.now;
  }

  async register(environment: Environment, options: { confirm?: boolean } = {}): Promise<RegisterResult> {
    const { row, key, url } = await this.#prerequisites(environment);
    const mode = keyMode(key);
    const mismatch = modeMismatch(environment, mode);
    if (mismatch && !options.confirm)
      throw new StripeAccountError(409, 'mode_mismatch', `${mismatch}. Send { "confirm": true } to register anyway.`);

    const stripe = this.#client(key);
    let account: Stripe.Account;
    try {
      account = await stripe.accounts.retrieveCurrent();
    } catch (error) {
      throw fromStripeError(error, 'check the account (GET /v1/account)');
    }
    const enabledEvents = neededEventTypes(await this.#d.workflows.deployedTriggers(environment));
    const found = await this.#findEndpoint(stripe, environment, row, url);
    const params = {
      url,
      enabled_events: enabledEvents as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
      description: `Switchyard ${environment}`,
      metadata: { [ENVIRONMENT_METADATA_KEY]: environment },
    };
    let endpoint: Stripe.WebhookEndpoint;
    let secret: string | undefined;
    try {
      // Never delete and recreate: the endpoint keeps its id, its delivery history and its signing secret.
      if (found) endpoint = await stripe.webhookEndpoints.update(found.id, { ...params, disabled: false });
      else {
        endpoint = await stripe.webhookEndpoints.create({
          ...params,
          api_version: STRIPE_API_VERSION,
        } as Stripe.WebhookEndpointCreateParams);
        secret = endpoint.secret ?? undefined;
      }
    } catch (error) {
      throw fromStripeError(error, found ? `update webhook endpoint ${found.id}` : 'create the webhook endpoint');
    }

    const warnings = mismatch ? [`${mismatch} (confirmed)`] : [];
    const knowsSecret = secret !== undefined || Boolean(row.webhookSecretCipher);
    if (!knowsSecret) {
      warnings.push(
        `endpoint ${endpoint.id} already existed and Stripe returns its signing secret only when it is created: copy it from the Stripe dashboard into webhookSecret (PUT /environments/${environment}/stripe), or deregister and register again`,
      );
    }
    const state = {
      stripeEndpointId: endpoint.id,
      stripeEndpointEvents: enabledEvents,
      stripeEndpointRegisteredAt: new Date(this.#clock()),
      ...(knowsSecret ? { webhookEnabled: true } : {}),
    };
    // Only a create returns the secret; on update the stored one stays (a new secret rotates the old one out over 24 h).
    if (secret !== undefined) await this.#d.connections.setSigningSecret(environment, secret, state);
    else await this.#update(environment, state);
    this.#d.routes.invalidate();
    this.#d.log.info(
      { environment, endpointId: endpoint.id, created: !found, events: enabledEvents.length },
      found ? 'stripe webhook endpoint updated' : 'stripe webhook endpoint created',
    );
    return {
      endpointId: endpoint.id,
      status: endpoint.status,
      enabledEvents: endpoint.enabled_events.map(String),
      url: endpoint.url,
      created: !found,
      mode,
      account: {
        id: account.id,
        name: account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null,
      },
      warnings,
    };
  }

  /** Removes the endpoint from Stripe and forgets it, with the signing secret it came with; the webhook path stays. */
  async deregister(environment: Environment): Promise<{ endpointId: string; deleted: boolean }> {
    const row = await this.#row(environment);
    if (!row?.stripeEndpointId)
      throw new StripeAccountError(404, 'not_registered', `${environment} has no registered Stripe webhook endpoint`);
    const key = await this.#d.connections.secretKey(environment);
    if (!key)
      throw new StripeAccountError(
        400,
        'no_secret_key',
        `${environment} has no Stripe secret key: set one with PUT /environments/${environment}/stripe`,
      );
    let deleted = true;
    try {
      await this.#client(key).webhookEndpoints.del(row.stripeEndpointId);
    } catch (error) {
      if (!isStripeNotFound(error)) throw fromStripeError(error, `delete webhook endpoint ${row.stripeEndpointId}`);
      deleted = false; // already gone at Stripe: only our state is left to clear
    }
    await this.#d.connections.setSigningSecret(environment, null, { ...CLEARED_ENDPOINT, webhookEnabled: false });
    this.#d.routes.invalidate();
    this.#d.log.info(
      { environment, endpointId: row.stripeEndpointId, deleted },
      'stripe webhook endpoint deregistered',
    );
    return { endpointId: row.stripeEndpointId, deleted };
  }

  async status(environment: Environment): Promise<RegistrationStatus> {
    const row = await this.#row(environment);
    const connection = await this.#d.connections.get(environment);
    const neededEvents = neededEventTypes(await this.#d.workflows.deployedTriggers(environment));
    const out: RegistrationStatus = {
      registered: Boolean(row?.stripeEndpointId),
      endpointId: row?.stripeEndpointId ?? null,
      status: null,
      enabledEvents: row?.stripeEndpointEvents ?? [],
      neededEvents,
      url: null,
      webhookUrl: connection.webhookUrl,
      registeredAt: row?.stripeEndpointRegisteredAt?.toISOString() ?? null,
      lastEventReceivedAt: connection.lastEventReceivedAt,
      lastReconciledAt: row?.lastReconciledAt?.toISOString() ?? null,
      stripeError: null,
    };
    const key = await this.#d.connections.secretKey(environment);
    if (!row?.stripeEndpointId || !key) return out;
    try {
      const endpoint = await this.#client(key).webhookEndpoints.retrieve(row.stripeEndpointId);
      return { ...out, status: endpoint.status, enabledEvents: endpoint.enabled_events.map(String), url: endpoint.url };
    } catch (error) {
      return {
        ...out,
        stripeError: isStripeNotFound(error)
          ? `endpoint ${row.stripeEndpointId} no longer exists at Stripe: register again`
          : fromStripeError(error, 'read the endpoint').message,
      };
    }
  }

  /**
   * Keeps a registered endpoint's enabled_events equal to what the deployed workflows need, updating it in
   * place. Called after every save and publish, and by the scheduled reconcile (which heals a failed sync).
   * Never throws: a failure is logged and left for the next call.
   */
  async syncEnabledEvents(environment: Environment): Promise<{ updated: boolean }> {
    try {
      const row = await this.#row(environment);
      if (!row?.stripeEndpointId) return { updated: false };
      const needed = neededEventTypes(await this.#d.workflows.deployedTriggers(environment));
      if (sameTypes(row.stripeEndpointEvents, needed)) return { updated: false };
      const key = await this.#d.connections.secretKey(environment);
      if (!key) return { updated: false };
      await this.#client(key).webhookEndpoints.update(row.stripeEndpointId, {
        enabled_events: needed as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
      });
      await this.#update(environment, { stripeEndpointEvents: needed });
      this.#d.log.info(
        { environment, endpointId: row.stripeEndpointId, events: needed.length },
        'stripe webhook endpoint events updated',
      );
      return { updated: true };
    } catch (error) {
      this.#d.log.warn(
        { environment, err: { message: error instanceof Error ? error.message : String(error) } },
        'could not update the stripe webhook endpoint events; the next save, publish or scheduled reconcile retries',
      );
      return { updated: false };
    }
  }

  /** Lists Stripe's events since `since` (unix seconds; default 3 days, at most 30 days back) and ingests the missing ones. */
  async reconcile(
    environment: Environment,
    options: { since?: number; onProgress?: (p: ReconcileProgress) => void } = {},
  ): Promise<ReconcileResult> {
    const nowS = Math.floor(this.#clock() / 1000);
    const since = options.since ?? nowS - DEFAULT_RECONCILE_SECONDS;
    if (!Number.isInteger(since) || since < 0)
      throw new StripeAccountError(400, 'invalid_since', 'since must be unix seconds');
    if (since < nowS - MAX_RECONCILE_SECONDS - 60)
      throw new StripeAccountError(
        400,
        'invalid_since',
        `since is more than 30 days ago (${new Date(since * 1000).toISOString()}): Stripe keeps events for 30 days`,
      );
    if (since > nowS + 60) throw new StripeAccountError(400, 'invalid_since', 'since is in the future');
    const key = await this.#d.connections.secretKey(environment);
    if (!key)
      throw new StripeAccountError(
        400,
        'no_secret_key',
        `${environment} has no Stripe secret key: set one with PUT /environments/${environment}/stripe`,
      );
    const types = neededEventTypes(await this.#d.workflows.deployedTriggers(environment));
    try {
      return await reconcileEvents({
        stripe: this.#client(key),
        database: this.#d.db,
        inbox: this.#d.inbox,
        environment,
        since,
        types,
        log: this.#d.log,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (error) {
      throw fromStripeError(error, 'list events (GET /v1/events)');
    }
  }

  /** Environments with a secret key: the ones the scheduled reconcile visits. */
  async environmentsWithKey(): Promise<Environment[]> {
    const rows = await this.#d.db
      .select({ environment: connections.environment, key: connections.secretKeyCipher })
      .from(connections);
    return rows.filter((r) => r.key).map((r) => r.environment);
  }

  async #prerequisites(environment: Environment): Promise<{ row: Row; key: string; url: string }> {
    const row = await this.#row(environment);
    const key = await this.#d.connections.secretKey(environment);
    if (!row || !key)
      throw new StripeAccountError(
        400,
        'no_secret_key',
        `${environment} has no Stripe secret key: set one with PUT /environments/${environment}/stripe first`,
      );
    if (!row.webhookPath)
      throw new StripeAccountError(
        400,
        'no_webhook_path',
        `${environment} has no webhook path: set webhookPath with PUT /environments/${environment}/stripe first`,
      );
    return { row, key, url: this.#d.connections.webhookUrl(row.webhookPath) };
  }

  /** The endpoint registered before: by stored id, then by our metadata and URL, then by URL alone. */
  async #findEndpoint(
    stripe: Stripe,
    environment: Environment,
    row: Row,
    url: string,
  ): Promise<Stripe.WebhookEndpoint | undefined> {
    if (row.stripeEndpointId) {
      try {
        return await stripe.webhookEndpoints.retrieve(row.stripeEndpointId);
      } catch (error) {
        if (!isStripeNotFound(error)) throw fromStripeError(error, `read webhook endpoint ${row.stripeEndpointId}`);
        this.#d.log.warn(
          { environment, endpointId: row.stripeEndpointId },
          'the registered stripe webhook endpoint no longer exists; looking for another',
        );
      }
    }
    const all: Stripe.WebhookEndpoint[] = [];
    try {
      for (let startingAfter: string | undefined; ; ) {
        const page = await stripe.webhookEndpoints.list({
          limit: 100,
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        });
        all.push(...page.data);
        if (!page.has_more || page.data.length === 0) break;
        startingAfter = page.data.at(-1)!.id;
      }
    } catch (error) {
      throw fromStripeError(error, 'list webhook endpoints');
    }
    return (
      all.find((e) => e.metadata?.[ENVIRONMENT_METADATA_KEY] === environment && e.url === url) ??
      all.find((e) => e.url === url)
    );
  }

  #client(key: string): Stripe {
    return createStripeClient(key, { apiBase: this.#d.stripeApiBase, apiVersion: STRIPE_API_VERSION });
  }

  async #row(environment: Environment): Promise<Row | undefined> {
    const [row] = await this.#d.db.select().from(connections).where(eq(connections.environment, environment));
    return row;
  }

  async #update(environment: Environment, values: Partial<typeof connections.$inferInsert>): Promise<void> {
    await this.#d.db.update(connections).set(values).where(eq(connections.environment, environment));
  }
}

const CLEARED_ENDPOINT = {
  stripeEndpointId: null,
  stripeEndpointEvents: null,
  stripeEndpointRegisteredAt: null,
} satisfies Partial<typeof connections.$inferInsert>;
