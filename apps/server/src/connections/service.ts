import { and, desc, eq, ne } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets.js';
import { maskSecret } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { connections, type Environment, events } from '../db/schema.js';
import { statusesOf } from '../events/status.js';
import type { Connection, ConnectionInput } from './schemas.js';

export class PathTakenError extends Error {
  override name = 'PathTakenError';
  constructor(
    readonly path: string,
    readonly owner?: Environment,
  ) {
    super(`webhookPath "${path}" is already used by ${owner ? `the ${owner}` : 'another'} environment`);
  }
}

type Row = typeof connections.$inferSelect;

/** How many of the newest events the connection page's `eventCounts` counts by status. */
export const COUNTED_EVENTS = 1000;

/** How long a replaced signing secret keeps verifying when the caller gives no expiry: Stripe's own roll window. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** What ingest needs to accept a delivery: the owner of a path and the secrets that may have signed it. */
export interface WebhookRoute {
  environment: Environment;
  enabled: boolean;
  signingSecrets: string[];
  /**
   * Set when the stored signing secret cannot be decrypted here (this process has another SWITCHYARD_MASTER_KEY,
   * or the row is corrupt): this environment's deliveries fail, and only its own.
   */
  signingSecretUnreadable?: true;
}

export class ConnectionService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly publicUrl: string,
    /** ms since epoch; decides whether a previous signing secret has expired. */
    private readonly clock: () => number = Date.now,
  ) {}

  async get(environment: Environment): Promise<Connection> {
    const [row] = await this.db.select().from(connections).where(eq(connections.environment, environment));
    return this.present(environment, row);
  }

  async put(environment: Environment, input: ConnectionInput): Promise<Connection> {
    const [owner] = await this.db
      .select({ environment: connections.environment })
      .from(connections)
      .where(and(eq(connections.webhookPath, input.webhookPath), ne(connections.environment, environment)));
    if (owner) throw new PathTakenError(input.webhookPath, owner.environment);
    const [current] = await this.db.select().from(connections).where(eq(connections.environment, environment));

    const values: Partial<typeof connections.$inferInsert> = {
      webhookEnabled: input.webhookEnabled,
      webhookPath: input.webhookPath,
      updatedAt: new Date(),
    };
    if (input.secretKey !== undefined) {
      values.secretKeyCipher =
        input.secretKey === null ? null : this.box.seal(input.secretKey, `${environment}:secretKey`);
      values.secretKeyHint = input.secretKey === null ? null : maskSecret(input.secretKey);
    }
    if (input.webhookSecret !== undefined) {
      const expiresAt = input.previousSecretExpiresAt ? new Date(input.previousSecretExpiresAt) : undefined;
      Object.assign(values, this.signingSecretValues(environment, current, input.webhookSecret, expiresAt));
    }
    try {
      await this.db
        .insert(connections)
        .values({ environment, ...values })
        .onConflictDoUpdate({ target: connections.environment, set: values });
    } catch (error) {
      // Two environments claiming one path at the same moment: the unique index decides.
      if (isUniqueViolation(error)) throw new PathTakenError(input.webhookPath);
      throw error;
    }
    return this.get(environment);
  }

  /**
   * Columns that make `secret` the signing secret. Rotation: a different secret replacing a stored one keeps the
   * old one as the previous secret until `previousExpiresAt` (default now + 24 h), so deliveries signed by
   * either verify through Stripe's roll window. Removing the secret removes both.
   */
  signingSecretValues(
    environment: Environment,
    current: Row | undefined,
    secret: string | null,
    previousExpiresAt?: Date,
  ): Partial<typeof connections.$inferInsert> {
    if (secret === null)
      return {
        webhookSecretCipher: null,
        webhookSecretHint: null,
        previousWebhookSecretCipher: null,
        previousWebhookSecretExpiresAt: null,
      };
    const values: Partial<typeof connections.$inferInsert> = {
      webhookSecretCipher: this.box.seal(secret, `${environment}:webhookSecret`),
      webhookSecretHint: maskSecret(secret),
    };
    const old = current?.webhookSecretCipher
      ? this.#tryOpen(current.webhookSecretCipher, `${environment}:webhookSecret`)
      : undefined;
    if (old !== undefined && old !== secret) {
      values.previousWebhookSecretCipher = this.box.seal(old, `${environment}:previousWebhookSecret`);
      values.previousWebhookSecretExpiresAt = previousExpiresAt ?? new Date(this.clock() + PREVIOUS_SECRET_GRACE_MS);
    } else if (old === secret && previousExpiresAt && current?.previousWebhookSecretCipher) {
      // Same secret again with an expiry: only move the end of the window (e.g. end it now).
      values.previousWebhookSecretExpiresAt = previousExpiresAt;
    }
    return values;
  }

  /** Sets the signing secret (with rotation) without touching the rest of the connection, e.g. after registering an endpoint. */
  async setSigningSecret(
    environment: Environment,
    secret: string | null,
    extra: Partial<typeof connections.$inferInsert> = {},
  ): Promise<void> {
    const [current] = await this.db.select().from(connections).where(eq(connections.environment, environment));
    const values = { ...this.signingSecretValues(environment, current, secret), ...extra, updatedAt: new Date() };
    await this.db
      .insert(connections)
      .values({ environment, ...values })
      .onConflictDoUpdate({ target: connections.environment, set: values });
  }

  /** The decrypted Stripe secret key, for server-side API calls only. */
  async secretKey(environment: Environment): Promise<string | undefined> {
    const [row] = await this.db
      .select({ c: connections.secretKeyCipher })
      .from(connections)
      .where(eq(connections.environment, environment));
    return row?.c ? this.box.open(row.c, `${environment}:secretKey`) : undefined;
  }

  async routes(): Promise<Map<string, WebhookRoute>> {
    const rows = await this.db.select().from(connections);
    const map = new Map<string, WebhookRoute>();
    for (const row of rows) {
      if (!row.webhookPath) continue;
      // Opened row by row: one secret this process cannot decrypt must not take every environment's webhooks down.
      const current = row.webhookSecretCipher
        ? this.#tryOpen(row.webhookSecretCipher, `${row.environment}:webhookSecret`)
        : undefined;
      if (row.webhookSecretCipher && current === undefined) {
        map.set(row.webhookPath, {
          environment: row.environment,
          enabled: row.webhookEnabled,
          signingSecrets: [],
          signingSecretUnreadable: true,
        });
        continue;
      }
      const signingSecrets = current === undefined ? [] : [current];
      // The secret before the last rotation verifies until its expiry (the route cache reloads at least every second).
      if (
        row.previousWebhookSecretCipher &&
        row.previousWebhookSecretExpiresAt &&
        row.previousWebhookSecretExpiresAt.getTime() > this.clock()
      ) {
        const previous = this.#tryOpen(row.previousWebhookSecretCipher, `${row.environment}:previousWebhookSecret`);
        if (previous !== undefined) signingSecrets.push(previous);
      }
      map.set(row.webhookPath, { environment: row.environment, enabled: row.webhookEnabled, signingSecrets });
    }
    return map;
  }

  /** A secret sealed under another master key cannot be kept through a rotation; it is dropped instead of failing the save. */
  #tryOpen(cipher: string, aad: string): string | undefined {
    try {
      return this.box.open(cipher, aad);
    } catch {
      return undefined;
    }
  }

  webhookUrl(path: string): string {
    return `${this.publicUrl}/api${path}`;
  }

  private async present(environment: Environment, row: Row | undefined): Promise<Connection> {
    // The latest events only, newest first through the (environment, id) index: counting every stored event
    // grows with the history (seconds at a million), and the page is a glance at how deliveries are doing now.
    const recent = await this.db
      .select({ id: events.id, receivedAt: events.receivedAt })
      .from(events)
      // Test-run samples never came from Stripe: they must not look like deliveries.
      .where(and(eq(events.environment, environment), eq(events.test, false)))
      .orderBy(desc(events.id))
      .limit(COUNTED_EVENTS);
    const eventCounts: Record<string, number> = {};
    for (const status of (
      await statusesOf(
        this.db,
        recent.map((r) => r.id),
      )
    ).values())
      eventCounts[status] = (eventCounts[status] ?? 0) + 1;
    // Ids follow arrival, so the newest received is among the newest ids (commits may land a little out of order).
    const last = recent.reduce<Date | undefined>((at, r) => (at && at > r.receivedAt ? at : r.receivedAt), undefined);
    const mode = row?.secretKeyHint ? (row.secretKeyHint.includes('_live_') ? 'live' : 'test') : null;
    return {
      environment,
      secretKey: row?.secretKeyHint ?? null,
      mode,
      webhookEnabled: row?.webhookEnabled ?? false,
      webhookPath: row?.webhookPath ?? null,
      webhookSecret: row?.webhookSecretHint ?? null,
      webhookUrl: row?.webhookPath ? this.webhookUrl(row.webhookPath) : null,
      previousWebhookSecretExpiresAt:
        row?.previousWebhookSecretCipher &&
        row.previousWebhookSecretExpiresAt &&
        row.previousWebhookSecretExpiresAt.getTime() > this.clock()
          ? row.previousWebhookSecretExpiresAt.toISOString()
          : null,
      stripeEndpointId: row?.stripeEndpointId ?? null,
      warnings: warningsFor(environment, mode, row),
      lastEventReceivedAt: last ? last.toISOString() : null,
      eventCounts,
      updatedAt: row ? row.updatedAt.toISOString() : null,
    };
  }
}

function warningsFor(environment: Environment, mode: 'test' | 'live' | null, row: Row | undefined): string[] {
  const warnings: string[] = [];
  if (environment === 'production' && mode === 'test')
    warnings.push('production uses a test-mode key: live payments will not reach these workflows');
  if (environment !== 'production' && mode === 'live')
    warnings.push(`${environment} uses a live-mode key: workflows here can change real customers and money`);
  if (row?.webhookEnabled && !row.webhookSecretCipher)
    warnings.push('the webhook is enabled without a signing secret: every delivery is rejected until one is set');
  return warnings;
}

export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
