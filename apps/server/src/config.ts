import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatabaseTarget } from './db/client.js';
import { DEFAULT_RECONCILE_EVERY_MS, parseDuration } from './stripe-account/duration.js';

export interface Config {
  port: number;
  publicUrl: string;
  database: DatabaseTarget;
  dataDir: string;
  adminToken: string;
  /** Where the token came from: a token the operator set is never printed; a local file's token is, for convenience. */
  adminTokenSource: 'env' | 'file' | 'generated';
  masterKey: Buffer;
  stripeApiBase: string;
  logLevel: string;
  allowPrivateNetwork: boolean;
  smtpUrl: string | undefined;
  smtpFrom: string | undefined;
  workerConcurrency: number;
  leaseMs: number;
  /** WORKER_THREADS: engine threads; default one per core the process may use. */
  workerThreads: number;
  /** RUN_TIMEOUT_MS: wall-time budget of one run; past it the run is stopped and fails. */
  runTimeoutMs: number;
  retentionDays: number;
  /** RECONCILE_EVERY: scheduled reconcile interval in ms; 0 = off. */
  reconcileEveryMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads `.env` if present without overriding variables already set, as dotenv does. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function loadConfig(env: Env = process.env): Config {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const dataDir = resolve(env.SWITCHYARD_DATA_DIR ?? './.switchyard');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const database: DatabaseTarget = databaseUrl
    ? { driver: 'postgres', url: databaseUrl, poolSize: Number(env.DATABASE_POOL_SIZE ?? 10) }
    : { driver: 'pglite', dataDir: join(dataDir, 'pglite') };

  const masterKey = readMasterKey(env, dataDir, Boolean(databaseUrl));
  const { token: adminToken, source: adminTokenSource } = readAdminToken(env, dataDir);
  return {
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    database,
    dataDir,
    adminToken,
    adminTokenSource,
    masterKey,
    stripeApiBase: env.STRIPE_API_BASE ?? 'https://api.stripe.com',
    logLevel: env.LOG_LEVEL ?? 'info',
    allowPrivateNetwork: env.ALLOW_PRIVATE_NETWORK_REQUESTS?.trim().toLowerCase() === 'true',
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    smtpFrom: env.SMTP_FROM?.trim() || undefined,
    workerConcurrency: positiveInt(env, 'WORKER_CONCURRENCY', 64),
    leaseMs: positiveInt(env, 'RUN_LEASE_MS', 10_000),
    workerThreads: positiveInt(env, 'WORKER_THREADS', availableParallelism()),
    runTimeoutMs: positiveInt(env, 'RUN_TIMEOUT_MS', 60_000),
    retentionDays: positiveInt(env, 'RETENTION_DAYS', 30),
    reconcileEveryMs: reconcileEvery(env),
  };
}

function reconcileEvery(env: Env): number {
  const ms = parseDuration(env.RECONCILE_EVERY, DEFAULT_RECONCILE_EVERY_MS);
  if (ms === undefined)
    throw new ConfigError(
      `RECONCILE_EVERY must be a duration like 1h, 30m or 3600 (seconds), or off; got "${env.RECONCILE_EVERY}"`,
    );
  return ms;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function readMasterKey(env: Env, dataDir: string, sharedDatabase: boolean): Buffer {
  const given = env.SWITCHYARD_MASTER_KEY?.trim();
  if (given) return parseMasterKey(given);
  // With a shared PostgreSQL every process must hold the same key, so it cannot be invented locally.
  if (sharedDatabase)
    throw new ConfigError(
      'SWITCHYARD_MASTER_KEY is required with DATABASE_URL (64 hex characters: openssl rand -hex 32)',
    );
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return parseMasterKey(readFileSync(file, 'utf8').trim());
  const key = randomBytes(32);
  writePrivateFile(file, key.toString('hex'));
  return key;
}

function parseMasterKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new ConfigError('SWITCHYARD_MASTER_KEY must be 32 bytes as 64 hex characters (openssl rand -hex 32)');
  return Buffer.from(hex, 'hex');
}

function readAdminToken(env: Env, dataDir: string): { token: string; source: Config['adminTokenSource'] } {
  const given = env.SWITCHYARD_ADMIN_TOKEN?.trim();
  if (given) return { token: given, source: 'env' };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: 'file' };
  const token = `sy_${randomBytes(24).toString('base64url')}`;
  writePrivateFile(file, token);
  return { token, source: 'generated' };
}

function writePrivateFile(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${content}\n`, { mode: 0o600 });
}
