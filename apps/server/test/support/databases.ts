import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';

/**
 * One suite, every driver: the pattern of drizzle's integration-tests/pg-common.ts. PGlite always runs;
 * PostgreSQL runs when TEST_DATABASE_URL is set (CI sets it). Each suite gets a database of its own, so
 * test files can run in parallel without seeing each other's rows.
 */
export interface DriverContext {
  driver: Database['driver'];
  /** The live database of the current suite; valid inside tests and hooks. */
  readonly database: Database;
  /** A connection URL for this suite's database (PostgreSQL only), e.g. for child processes. */
  readonly url: string | undefined;
}

export const DRIVERS: Database['driver'][] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export function describeEachDriver(name: string, suite: (ctx: DriverContext) => void): void {
  for (const driver of DRIVERS) {
    describe(`${name} [${driver}]`, () => {
      let database: Database | undefined;
      let dropDatabase: (() => Promise<void>) | undefined;
      let url: string | undefined;
      const ctx: DriverContext = {
        driver,
        get database() {
          if (!database) throw new Error('database not open yet');
          return database;
        },
        get url() {
          return url;
        },
      };
      beforeAll(async () => {
        if (driver === 'pglite') {
          database = await openDatabase({ driver: 'pglite' });
        } else {
          const created = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
          url = created.url;
          dropDatabase = created.drop;
          database = await openDatabase({ driver: 'postgres', url, poolSize: 10 });
        }
      });
      afterAll(async () => {
        await database?.close().catch(() => {});
        await dropDatabase?.();
      });
      suite(ctx);
    });
  }
}

export async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `switchyard_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await sql.end();
    },
  };
}
