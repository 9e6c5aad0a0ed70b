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
  /**
   * The same, for storing webhook deliveries: on PostgreSQL a pool of its own whose sessions carry
   * `statement_timeout` and `lock_timeout`, so a stalled database (a lock held on events, a saturated disk)
   * fails the delivery with 503 and Stripe retries, instead of holding the request open. Kept off the other
   * pools so migrations, retention and admin queries may run as long as they need.
   */
  queryIngest<Row extends Record<string, unknown>>(text: string, params: unknown[]): Promise<Row[]>;
  /** What `queryIngest` is held to; PGlite enforces neither (see openPglite), so ingest keeps its own deadline too. */
  ingestTimeouts: IngestTimeouts;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface IngestTimeouts {
  /** statement_timeout of an ingest statement, ms. */
  statementMs: number;
  /** lock_timeout: how long an ingest statement waits for a lock, ms. */
  lockMs: number;
}

// Long enough that a busy but healthy database (a group commit behind a burst, duplicates waiting on each other's
// row locks) still answers 200, short enough that a stalled one answers 503 well before Stripe gives up waiting.
export const DEFAULT_INGEST_TIMEOUTS: IngestTimeouts = { statementMs: 8_000, lockMs: 5_000 };

export type DatabaseTarget =
  | { driver: 'postgres'; url: string; poolSize?: number; ingestTimeouts?: IngestTimeouts }
  | { driver: 'pglite'; dataDir?: string /* undefined = in memory */; ingestTimeouts?: IngestTimeouts };

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens the store and brings its schema up to date; every process runs this at start. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const timeouts = target.ingestTimeouts ?? DEFAULT_INGEST_TIMEOUTS;
  return target.driver === 'postgres'
    ? openPostgres(target.url, target.poolSize, timeouts)
    : openPglite(target.dataDir, timeouts);
}

/** The inbox commits at most 4 batches at once on PostgreSQL; one more connection leaves room for a straggler. */
const INGEST_POOL_SIZE = 5;

async function openPostgres(url: string, poolSize = 10, ingestTimeouts = DEFAULT_INGEST_TIMEOUTS): Promise<Database> {
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
  // Startup parameters, so the timeouts cost nothing per statement.
  const ingest = postgres(url, {
    max: Math.min(poolSize, INGEST_POOL_SIZE),
    onnotice: () => {},
    connect_timeout: 10,
    connection: { statement_timeout: ingestTimeouts.statementMs, lock_timeout: ingestTimeouts.lockMs },
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
    queryIngest: async (text, params) => (await ingest.unsafe(text, params as never[], { prepare: true })) as never,
    ingestTimeouts,
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, () => onNotify());
      return unlisten;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), relaxed.end({ timeout: 5 }), ingest.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir?: string, ingestTimeouts = DEFAULT_INGEST_TIMEOUTS): Promise<Database> {
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
    // No SET here: PGlite runs in this process on one connection, so no other session can hold a lock against
    // ingest, and its WASM build has no timer to cancel a statement (statement_timeout is accepted and ignored).
    // The ingest deadline (IngestDeps.storeTimeoutMs) answers 503 instead.
    queryIngest: async (text, params) => (await client.query(text, params)).rows as never,
    ingestTimeouts,
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: () => client.close(),
  };
}

/** Cheap liveness probe used by /healthz. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`SELECT 1`);
}
