import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createScratchDatabase, type DRIVERS } from './databases.js';

const folder = fileURLToPath(new URL('../../drizzle/', import.meta.url));
const journal = JSON.parse(readFileSync(`${folder}meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
const statements = (tag: string) =>
  readFileSync(`${folder}${tag}.sql`, 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);

export type Exec = (sql: string) => Promise<Record<string, unknown>[]>;

/**
 * The real migration files, applied in order as drizzle's migrator does, split at the one a test checks.
 * Migrations may be renumbered at merge, so the split is found by the tag's name (`_executions_search`).
 */
export function migrationsAround(tagSuffix: string) {
  const splitAt = journal.entries.findIndex((e) => e.tag.endsWith(tagSuffix));
  const apply = async (exec: Exec, entries: { tag: string }[]) => {
    for (const e of entries) for (const s of statements(e.tag)) await exec(s);
  };
  return {
    splitAt,
    before: (exec: Exec) => apply(exec, journal.entries.slice(0, splitAt)),
    fromIt: (exec: Exec) => apply(exec, journal.entries.slice(splitAt)),
  };
}

/** An empty database of the driver, driven by plain SQL: no migrator, no app. */
export async function rawDatabase(
  driver: (typeof DRIVERS)[number],
): Promise<{ exec: Exec; close: () => Promise<void> }> {
  if (driver === 'pglite') {
    const db = await PGlite.create();
    return { exec: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows, close: () => db.close() };
  }
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  return {
    exec: async (text) => [...(await sql.unsafe(text))] as Record<string, unknown>[],
    close: async () => {
      await sql.end();
      await scratch.drop();
    },
  };
}
