import type { AlertDelivery, AlertSettings, PutAlertsBody } from '@switchyard/contract';
import { eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { alertDestinations, type Environment } from '../db/schema.js';

const aad = (environment: Environment) => `${environment}:alert-webhook`;

/** `https://hooks.slack.com/••••9Qa2`: where it goes stays readable, the path (often a token) does not. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const rest = `${u.pathname}${u.search}`.replace(/^\/$/, '');
    return `${u.protocol}//${u.host}${rest ? `/••••${rest.length > 8 ? rest.slice(-4) : ''}` : ''}`;
  } catch {
    return '••••';
  }
}

/** An alert webhook must be https without credentials in it, except on a server that may reach private addresses (local development). */
export function webhookUrlRefusal(url: string, allowHttp: boolean): string | undefined {
  const { protocol, username, password } = new URL(url);
  // Credentials in the URL would be stored and masked as if they were the host, and sent on every alert.
  if (username || password) return 'the alert webhook URL must not hold a user name or password';
  if (protocol === 'https:') return undefined;
  if (protocol === 'http:' && allowHttp) return undefined;
  return 'the alert webhook must be an https:// URL (http:// only with ALLOW_PRIVATE_NETWORK_REQUESTS)';
}

/** Stored as the email's last error, and answered with `code: smtp_not_configured` so clients can explain it. */
export const SMTP_NOT_CONFIGURED = 'no SMTP server: the environment has none and SMTP_URL is not set';

export interface AlertTargets {
  email: string | null;
  webhookUrl: string | null;
  webhookMasked: string | null;
}

export type Destination = 'email' | 'webhook';

/** Each environment's alert destinations: an email address and a sealed webhook URL. */
export class AlertSettingsService {
  /** Every failed run asks for the targets; a burst of failures should not mean a query each. */
  readonly #cache = new Map<Environment, { at: number; value: Promise<AlertTargets> }>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly cacheMs = 2_000,
  ) {}

  async get(environment: Environment): Promise<AlertSettings> {
    const [row] = await this.db.select().from(alertDestinations).where(eq(alertDestinations.environment, environment));
    if (!row) return { email: null, webhookUrl: null, lastDelivery: { email: null, webhook: null }, updatedAt: null };
    const delivery = (at: Date | null, error: string | null): AlertDelivery | null =>
      at
        ? {
            at: at.toISOString(),
            ok: error === null,
            error,
            ...(error === SMTP_NOT_CONFIGURED ? { code: 'smtp_not_configured' as const } : {}),
          }
        : null;
    return {
      email: row.email,
      webhookUrl: row.webhookMasked,
      lastDelivery: {
        email: delivery(row.emailLastAt, row.emailLastError),
        webhook: delivery(row.webhookLastAt, row.webhookLastError),
      },
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /**
   * Each field: omitted keeps the stored one, `null` clears it, a value replaces it. One statement, so two saves
   * at once cannot mix one's address with the other's delivery status.
   */
  async put(environment: Environment, input: PutAlertsBody): Promise<AlertSettings> {
    this.#cache.delete(environment);
    const webhook =
      input.webhookUrl === undefined
        ? {}
        : input.webhookUrl === null
          ? { webhookCipher: null, webhookMasked: null, webhookLastAt: null, webhookLastError: null }
          : {
              webhookCipher: this.box.seal(input.webhookUrl, aad(environment)),
              webhookMasked: maskWebhookUrl(input.webhookUrl),
              webhookLastAt: null,
              webhookLastError: null,
            };
    // A new address starts without the last address's delivery status; the same address keeps it.
    const changed = 'alert_destinations.email IS DISTINCT FROM excluded.email';
    const email =
      input.email === undefined
        ? {}
        : {
            email: sql`excluded.email`,
            emailLastAt: sql.raw(`CASE WHEN ${changed} THEN NULL ELSE alert_destinations.email_last_at END`),
            emailLastError: sql.raw(`CASE WHEN ${changed} THEN NULL ELSE alert_destinations.email_last_error END`),
          };
    const updatedAt = new Date();
    await this.db
      .insert(alertDestinations)
      .values({ environment, email: input.email ?? null, ...webhook, updatedAt })
      .onConflictDoUpdate({ target: alertDestinations.environment, set: { ...email, ...webhook, updatedAt } });
    return this.get(environment);
  }

  /** Where to send, the webhook URL opened; another process's change is seen within `cacheMs`. */
  targets(environment: Environment): Promise<AlertTargets> {
    const hit = this.#cache.get(environment);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value;
    const value = this.#load(environment);
    this.#cache.set(environment, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(environment));
    return value;
  }

  /** A URL sealed under another master key counts as none. */
  async #load(environment: Environment): Promise<AlertTargets> {
    const [row] = await this.db.select().from(alertDestinations).where(eq(alertDestinations.environment, environment));
    if (!row) return { email: null, webhookUrl: null, webhookMasked: null };
    let webhookUrl: string | null = null;
    if (row.webhookCipher) {
      try {
        webhookUrl = this.box.open(row.webhookCipher, aad(environment));
      } catch {
        webhookUrl = null;
      }
    }
    return { email: row.email, webhookUrl, webhookMasked: row.webhookMasked };
  }

  async recordDelivery(environment: Environment, to: Destination, at: Date, error: string | null): Promise<void> {
    await this.db
      .update(alertDestinations)
      .set(to === 'email' ? { emailLastAt: at, emailLastError: error } : { webhookLastAt: at, webhookLastError: error })
      .where(eq(alertDestinations.environment, environment));
  }
}
