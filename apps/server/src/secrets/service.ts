import type { Secret, Variable } from '@switchyard/contract';
import { maskSecretValue } from '@switchyard/engine';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets.js';
import type { Db } from '../db/client.js';
import { toJsonbText } from '../db/json-safe.js';
import { type Environment, environmentSecrets, environmentVars } from '../db/schema.js';

/** What a run of an environment reads as `context.secrets` and `context.vars`. */
export interface RunSecrets {
  secrets: Record<string, string>;
  vars: Record<string, unknown>;
}

/** Bound into each ciphertext: a value copied to another environment's or name's row fails to open. */
const aad = (environment: Environment, name: string) => `${environment}:secret:${name}`;

/**
 * An environment's secrets (sealed at rest, answered masked) and variables (plain JSON). Runs read both through
 * `forRun`, cached per environment: every run needs them, and a query per run would be the database's main load.
 * A write here clears this process's cache; other processes see it once their entry expires (`cacheMs`).
 */
export class SecretService {
  readonly #cache = new Map<Environment, { at: number; value: Promise<RunSecrets> }>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly cacheMs = 2_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async listSecrets(environment: Environment): Promise<Secret[]> {
    const rows = await this.db
      .select({
        name: environmentSecrets.name,
        masked: environmentSecrets.masked,
        updatedAt: environmentSecrets.updatedAt,
      })
      .from(environmentSecrets)
      .where(eq(environmentSecrets.environment, environment))
      .orderBy(asc(environmentSecrets.name));
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  }

  async putSecret(environment: Environment, name: string, value: string): Promise<Secret> {
    const row = {
      valueCipher: this.box.seal(value, aad(environment, name)),
      masked: maskSecretValue(value),
      updatedAt: new Date(),
    };
    await this.db
      .insert(environmentSecrets)
      .values({ environment, name, ...row })
      .onConflictDoUpdate({ target: [environmentSecrets.environment, environmentSecrets.name], set: row });
    this.#cache.delete(environment);
    return { name, masked: row.masked, updatedAt: row.updatedAt.toISOString() };
  }

  /** False when there was no such secret. */
  async deleteSecret(environment: Environment, name: string): Promise<boolean> {
    const gone = await this.db
      .delete(environmentSecrets)
      .where(and(eq(environmentSecrets.environment, environment), eq(environmentSecrets.name, name)))
      .returning({ name: environmentSecrets.name });
    this.#cache.delete(environment);
    return gone.length > 0;
  }

  async listVars(environment: Environment): Promise<Variable[]> {
    const rows = await this.db
      .select({ name: environmentVars.name, value: environmentVars.value, updatedAt: environmentVars.updatedAt })
      .from(environmentVars)
      .where(eq(environmentVars.environment, environment))
      .orderBy(asc(environmentVars.name));
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  }

  async putVar(environment: Environment, name: string, value: unknown): Promise<Variable> {
    const updatedAt = new Date();
    // Through jsonb text: a JSON null is a value here, not SQL NULL.
    const json = sql`${toJsonbText(value)}::jsonb`;
    const [row] = await this.db
      .insert(environmentVars)
      .values({ environment, name, value: json, updatedAt })
      .onConflictDoUpdate({
        target: [environmentVars.environment, environmentVars.name],
        set: { value: json, updatedAt },
      })
      .returning({ value: environmentVars.value });
    this.#cache.delete(environment);
    return { name, value: row!.value, updatedAt: updatedAt.toISOString() };
  }

  async deleteVar(environment: Environment, name: string): Promise<boolean> {
    const gone = await this.db
      .delete(environmentVars)
      .where(and(eq(environmentVars.environment, environment), eq(environmentVars.name, name)))
      .returning({ name: environmentVars.name });
    this.#cache.delete(environment);
    return gone.length > 0;
  }

  /** The environment's secrets opened and its variables, for the engine's run options. Never answered by an API. */
  forRun(environment: Environment): Promise<RunSecrets> {
    const hit = this.#cache.get(environment);
    if (hit && this.clock() - hit.at < this.cacheMs) return hit.value;
    const value = this.#load(environment);
    this.#cache.set(environment, { at: this.clock(), value });
    value.catch(() => this.#cache.delete(environment));
    return value;
  }

  async #load(environment: Environment): Promise<RunSecrets> {
    const [secretRows, varRows] = await Promise.all([
      this.db
        .select({ name: environmentSecrets.name, valueCipher: environmentSecrets.valueCipher })
        .from(environmentSecrets)
        .where(eq(environmentSecrets.environment, environment)),
      this.db
        .select({ name: environmentVars.name, value: environmentVars.value })
        .from(environmentVars)
        .where(eq(environmentVars.environment, environment)),
    ]);
    const secrets: Record<string, string> = {};
    for (const r of secretRows) {
      // Sealed under another master key (a rotation): left out, so a step using it fails naming it.
      try {
        secrets[r.name] = this.box.open(r.valueCipher, aad(environment, r.name));
      } catch {}
    }
    const vars: Record<string, unknown> = {};
    for (const r of varRows) vars[r.name] = r.value;
    return { secrets, vars };
  }
}
