import type { AlertDelivery, AlertSettings, PutAlertsBody } from '@switchyard/contract';
import { eq } from 'drizzle-orm';
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

/** An alert webhook must be https, except on a server that may reach private addresses (local development). */
export function webhookUrlRefusal(url: string, allowHttp: boolean): string | undefined {
  const { protocol } = new URL(url);
  if (protocol === 'https:') return undefined;
  if (protocol === 'http:' && allowHttp) return undefined;
  return 'the alert webhook must be an https:// URL (http:// only with ALLOW_PRIVATE_NETWORK_REQUESTS)';
}

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
      at ? { at: at.toISOString(), ok: error === null, error } : null;
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

  /** `email` omitted or null clears it; `webhookUrl` omitted keeps the stored one, null removes it. */
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
    const email = input.email ?? null;
    const [current] = await this.db
      .select({ email: alertDestinations.email })
      .from(alertDestinations)
      .where(eq(alertDestinations.environment, environment));
    // A new address starts without the last address's delivery status.
    const emailStatus = current?.email === email ? {} : { emailLastAt: null, emailLastError: null };
    const row = { email, ...emailStatus, ...webhook, updatedAt: new Date() };
    await this.db
      .insert(alertDestinations)
      .values({ environment, ...row })
      .onConflictDoUpdate({ target: alertDestinations.environment, set: row });
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
