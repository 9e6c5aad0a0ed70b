import { and, count, desc, eq, max, ne } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets.js';
import { maskSecret } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { connections, events, type Environment } from '../db/schema.js';
import { eventStatus } from '../events/status.js';
import type { Connection, ConnectionInput } from './schemas.js';

export class PathTakenError extends Error {
  override name = 'PathTakenError';
  constructor(readonly path: string, readonly owner?: Environment) {
    super(`webhookPath "${path}" is already used by ${owner ? `the ${owner}` : 'another'} environment`);
  }
}

type Row = typeof connections.$inferSelect;

/** What ingest needs to accept a delivery: the owner of a path and the secrets that may have signed it. */
export interface WebhookRoute {
  environment: Environment;
  enabled: boolean;
  signingSecrets: string[];
}

export class ConnectionService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly publicUrl: string,
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

    const values: Partial<typeof connections.$inferInsert> = {
      webhookEnabled: input.webhookEnabled,
      webhookPath: input.webhookPath,
      updatedAt: new Date(),
    };
    if (input.secretKey !== undefined) {
      values.secretKeyCipher = input.secretKey === null ? null : this.box.seal(input.secretKey, `${environment}:secretKey`);
      values.secretKeyHint = input.secretKey === null ? null : maskSecret(input.secretKey);
    }
    if (input.webhookSecret !== undefined) {
      values.webhookSecretCipher = input.webhookSecret === null ? null : this.box.seal(input.webhookSecret, `${environment}:webhookSecret`);
      values.webhookSecretHint = input.webhookSecret === null ? null : maskSecret(input.webhookSecret);
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

  /** The decrypted Stripe secret key, for server-side API calls only. */
  async secretKey(environment: Environment): Promise<string | undefined> {
    const [row] = await this.db.select({ c: connections.secretKeyCipher }).from(connections).where(eq(connections.environment, environment));
    return row?.c ? this.box.open(row.c, `${environment}:secretKey`) : undefined;
  }

  async routes(): Promise<Map<string, WebhookRoute>> {
    const rows = await this.db.select().from(connections);
    const map = new Map<string, WebhookRoute>();
    for (const row of rows) {
      if (!row.webhookPath) continue;
      const signingSecrets = row.webhookSecretCipher ? [this.box.open(row.webhookSecretCipher, `${row.environment}:webhookSecret`)] : [];
      map.set(row.webhookPath, { environment: row.environment, enabled: row.webhookEnabled, signingSecrets });
    }
    return map;
  }

  webhookUrl(path: string): string {
    return `${this.publicUrl}/api${path}`;
  }

  private async present(environment: Environment, row: Row | undefined): Promise<Connection> {
    const stats = await this.db
      .select({ status: eventStatus, n: count(), last: max(events.receivedAt) })
      .from(events)
      .where(eq(events.environment, environment))
      .groupBy(eventStatus)
      .orderBy(desc(max(events.receivedAt)));
    const eventCounts = Object.fromEntries(stats.map((s) => [s.status, Number(s.n)]));
    const last = stats[0]?.last;
    const mode = row?.secretKeyHint ? (row.secretKeyHint.includes('_live_') ? 'live' : 'test') : null;
    return {
      environment,
      secretKey: row?.secretKeyHint ?? null,
      mode,
      webhookEnabled: row?.webhookEnabled ?? false,
      webhookPath: row?.webhookPath ?? null,
      webhookSecret: row?.webhookSecretHint ?? null,
      webhookUrl: row?.webhookPath ? this.webhookUrl(row.webhookPath) : null,
      warnings: warningsFor(environment, mode, row),
      lastEventReceivedAt: last ? new Date(last).toISOString() : null,
      eventCounts,
      updatedAt: row ? row.updatedAt.toISOString() : null,
    };
  }
}

function warningsFor(environment: Environment, mode: 'test' | 'live' | null, row: Row | undefined): string[] {
  const warnings: string[] = [];
  if (environment === 'production' && mode === 'test') warnings.push('production uses a test-mode key: live payments will not reach these workflows');
  if (environment !== 'production' && mode === 'live') warnings.push(`${environment} uses a live-mode key: workflows here can change real customers and money`);
  if (row?.webhookEnabled && !row.webhookSecretCipher) warnings.push('the webhook is enabled without a signing secret: every delivery is rejected until one is set');
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
