import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The dialect core both drivers share; repositories depend on this, never on a driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /**
   * A parameterised statement straight to the driver, for the ingest hot path only: drizzle's builder costs
   * more per row than the insert itself. Statements are prepared and reused by text.
   */
  query<Row extends Record<string, unknown>>(text: string, params: unknown[]): Promise<Row[]>;
  /**
   * The same, on connections with `synchronous_commit = off`: for run bookkeeping and data-table writes only.
   * Losing the tail of those commits in a database crash loses a suffix (WAL order): the runs are claimed
   * again and redone, which order-safe upserts and idempotency keys make safe. Events themselves are always
   * committed synchronously before Stripe gets its 200.
   */
  queryRelaxed<Row extends Record<string, unknown>>(text: string, params: unknown[]): Promise<Row[]>;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { driver: 'postgres'; url: string; poolSize?: number }
  | { driver: 'pglite'; dataDir?: string /* undefined = in memory */ };

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens the store and brings its schema up to date; every process runs this at start. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.driver === 'postgres' ? openPostgres(target.url, target.poolSize) : openPglite(target.dataDir);
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connect_timeout: 10 });
  const relaxed = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { synchronous_commit: 'off' },
  });
  const db = drizzle(client, { schema });
  // Several server processes may start at once: one migrates while the others wait on the lock.
  const lockHolder = await client.reserve();
  try {
    await lockHolder`SELECT pg_advisory_lock(7355608)`;
    await migrate(db, { migrationsFolder });
  } finally {
    await lockHolder`SELECT pg_advisory_unlock(7355608)`.catch(() => {});
    lockHolder.release();
  }
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    query: async (text, params) => (await client.unsafe(text, params as never[], { prepare: true })) as never,
    queryRelaxed: async (text, params) => (await relaxed.unsafe(text, params as never[], { prepare: true })) as never,
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, () => onNotify());
      return unlisten;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), relaxed.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    driver: 'pglite',
    query: async (text, params) => (await client.query(text, params)).rows as never,
    // PGlite does not fsync at all (docs/event-journey.md, embedded mode), so there is nothing to relax.
    queryRelaxed: async (text, params) => (await client.query(text, params)).rows as never,
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: () => client.close(),
  };
}

/** Cheap liveness probe used by /healthz. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`SELECT 1`);
}
