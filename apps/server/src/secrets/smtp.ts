import { randomUUID } from 'node:crypto';
import type { SmtpSettings } from '@switchyard/contract';
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { type Environment, environmentSmtp } from '../db/schema.js';
import { createEmailPort, type SmtpTarget } from '../ports/email.js';

const aad = (environment: Environment) => `${environment}:smtp`;

/** `smtp://user:••••@host:587`: the server and user stay readable, the password does not. */
export function maskSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '••••';
    return decodeURIComponent(u.toString()).replace(/\/$/, '');
  } catch {
    return '••••';
  }
}

/**
 * Each environment's SMTP server for the email port, in place of SMTP_URL and SMTP_FROM. Runs read it through
 * `forRun`, cached for `cacheMs` like the secrets; a write clears this process's entry.
 */
export class SmtpSettingsService {
  readonly #cache = new Map<Environment, { at: number; value: Promise<SmtpTarget | undefined> }>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly cacheMs = 2_000,
  ) {}

  async get(environment: Environment): Promise<SmtpSettings> {
    const [row] = await this.db.select().from(environmentSmtp).where(eq(environmentSmtp.environment, environment));
    return row
      ? { url: row.urlMasked, from: row.fromAddress, updatedAt: row.updatedAt.toISOString() }
      : { url: null, from: null, updatedAt: null };
  }

  /** `url` undefined keeps the stored one; null removes the environment's server (and its from address). */
  async put(environment: Environment, input: { url?: string | null; from: string | null }): Promise<SmtpSettings> {
    this.#cache.delete(environment);
    if (input.url === null) {
      await this.db.delete(environmentSmtp).where(eq(environmentSmtp.environment, environment));
      return this.get(environment);
    }
    const updatedAt = new Date();
    if (input.url === undefined) {
      await this.db
        .update(environmentSmtp)
        .set({ fromAddress: input.from, updatedAt })
        .where(eq(environmentSmtp.environment, environment));
      return this.get(environment);
    }
    const row = {
      urlCipher: this.box.seal(input.url, aad(environment)),
      urlMasked: maskSmtpUrl(input.url),
      fromAddress: input.from,
      updatedAt,
    };
    await this.db
      .insert(environmentSmtp)
      .values({ environment, ...row })
      .onConflictDoUpdate({ target: environmentSmtp.environment, set: row });
    this.#cache.delete(environment);
    return this.get(environment);
  }

  forRun(environment: Environment): Promise<SmtpTarget | undefined> {
    const hit = this.#cache.get(environment);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value;
    const value = this.#load(environment);
    this.#cache.set(environment, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(environment));
    return value;
  }

  async #load(environment: Environment): Promise<SmtpTarget | undefined> {
    const [row] = await this.db.select().from(environmentSmtp).where(eq(environmentSmtp.environment, environment));
    if (!row) return undefined;
    try {
      return { url: this.box.open(row.urlCipher, aad(environment)), from: row.fromAddress };
    } catch {
      return undefined; // sealed under another master key: the server's SMTP_URL applies, as with no settings
    }
  }

  /** Sends a test message through the environment's server (or SMTP_URL) the way an email node would. */
  async sendTest(
    environment: Environment,
    to: string,
    fallback: { smtpUrl: string | undefined; from?: string | undefined },
  ): Promise<{ messageId: string | null }> {
    this.#cache.delete(environment);
    const port = createEmailPort({
      smtpUrl: fallback.smtpUrl,
      ...(fallback.from ? { defaultFrom: fallback.from } : {}),
      settings: () => this.forRun(environment),
      timeoutMs: 10_000,
    });
    const { id } = await port.send({
      to: [to],
      subject: `Switchyard test email (${environment})`,
      text: `This message was sent from the ${environment} environment's email settings.`,
      idempotencyKey: `smtp-test:${randomUUID()}`,
    });
    return { messageId: id ?? null };
  }
}
