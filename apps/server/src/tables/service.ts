import { TABLE_NAME } from '@switchyard/contract';
import {
  NonRetriableError,
  type TableCondition,
  type TableQuery,
  type TableRow,
  type TablesPort,
  type TableWrite,
  type UpsertResult,
} from '@switchyard/engine';
import { and, asc, count, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { isRowDataError, rowErrorReason, toJsonbText, toStorableText } from '../db/json-safe.js';
import { dataRows, dataTables, type Environment } from '../db/schema.js';

// The contract's table-name rule, so the API's 400 and the service's own check agree.
export { TABLE_NAME };

type RowRecord = {
  key: string;
  values: Record<string, unknown> | string;
  updated_at: Date | string;
  created?: boolean;
};

type Write = TableWrite & { values: Record<string, unknown> };

/**
 * A page of rows for the admin API: `cursor` is the last key of the previous page, `keyPrefix` narrows by key,
 * `search` keeps the rows whose key or any top-level value's text contains it, ignoring case.
 */
export interface RowsQuery {
  limit: number;
  cursor?: string | undefined;
  keyPrefix?: string | undefined;
  search?: string | undefined;
}

/**
 * Data tables as JSON rows (see schema.ts for why), each table in one environment. Writes go straight to the
 * driver: they are on every run's path. A table is created by its first write, in the same statement.
 */
export class TableService {
  constructor(private readonly database: Database) {}

  readonly #ports = new Map<Environment, TablesPort>();

  /** The engine's tables port for runs in `env`: they read and write that environment's rows only. */
  forEnvironment(env: Environment): TablesPort {
    let port = this.#ports.get(env);
    if (!port) {
      port = {
        upsert: (req) => this.#upsert(env, req),
        insert: (req) => this.#insert(env, req),
        update: (req) => this.#update(env, req),
        delete: (req) => this.#delete(env, req),
        query: (req) => this.#query(env, req),
      };
      this.#ports.set(env, port);
    }
    return port;
  }

  /**
   * Order-safe: the conflict update applies only when this event is not older than the row's last writer.
   * Upserts from runs finishing in the same turn of the event loop share one statement (group commit):
   * at a thousand runs a second, a statement per write would be the database's main load.
   */
  #upsert(env: Environment, req: Write): Promise<UpsertResult> {
    checkName(req.table);
    return new Promise((resolve, reject) => {
      this.#upserts.push({ env, req, resolve, reject });
      if (this.#upserts.length === 1) setImmediate(() => void this.#flushUpserts());
    });
  }

  readonly #upserts: PendingUpsert[] = [];

  async #flushUpserts(): Promise<void> {
    const pending = this.#upserts.splice(0);
    // One statement may not update a row twice: writes to a key already in this batch go in the next one,
    // keeping their order.
    while (pending.length > 0) {
      const batch: PendingUpsert[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < pending.length; ) {
        // By the key as stored: two keys differing only in an unstorable character are one row.
        const key = batchKey(pending[i]!.env, pending[i]!.req.table, toStorableText(pending[i]!.req.key));
        if (keys.has(key)) {
          i++;
          continue;
        }
        keys.add(key);
        batch.push(...pending.splice(i, 1));
      }
      try {
        this.#settle(batch, await this.#upsertRows(batch));
      } catch (error) {
        if (!isRowDataError(error) || batch.length === 1) {
          for (const u of batch) u.reject(rowError(error));
          continue;
        }
        // One row refused for its content: write the batch row by row, so only that write fails.
        for (const [i, u] of batch.entries()) {
          try {
            this.#settle([u], await this.#upsertRows([u]));
          } catch (e) {
            if (isRowDataError(e)) {
              u.reject(rowError(e));
              continue;
            }
            // The database itself failed meanwhile: the rest would only fail the same way.
            for (const rest of batch.slice(i)) rest.reject(e);
            break;
          }
        }
      }
    }
  }

  #upsertRows(batch: PendingUpsert[]) {
    return this.database.queryRelaxed<RowRecord & { environment: string; table_name: string }>(UPSERT, [
      batch.map((u) => u.env),
      batch.map((u) => u.req.table),
      batch.map((u) => toStorableText(u.req.key)),
      batch.map((u) => toJsonbText(u.req.values)),
      batch.map((u) => u.req.eventCreated),
      batch.map((u) => toStorableText(u.req.eventId)),
      batch.map((u) => toStorableText(u.req.idempotencyKey)),
    ]);
  }

  #settle(batch: PendingUpsert[], rows: (RowRecord & { environment: string; table_name: string })[]): void {
    const written = new Map(rows.map((r) => [batchKey(r.environment, r.table_name, r.key), r]));
    for (const u of batch) {
      const row = written.get(batchKey(u.env, u.req.table, toStorableText(u.req.key)));
      u.resolve(
        row ? { skipped: false, created: Boolean(row.created), row: toRow(row) } : { skipped: true, reason: 'stale' },
      );
    }
  }

  async #insert(env: Environment, req: Write): Promise<{ row: TableRow }> {
    checkName(req.table);
    // A conflicting row written by this same step (same idempotency key) is the earlier attempt's result.
    const [row] = await this.database
      .queryRelaxed<RowRecord>(
        `${ENSURE_TABLE}
INSERT INTO data_rows AS r (environment, table_name, key, values, event_created, event_id, write_key)
VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7)
ON CONFLICT (environment, table_name, key) DO UPDATE SET write_key = r.write_key WHERE r.write_key = EXCLUDED.write_key
RETURNING key, values, updated_at`,
        writeParams(env, req),
      )
      .catch((error: unknown) => {
        throw rowError(error);
      });
    if (!row) throw new NonRetriableError(`a row with key "${req.key}" already exists in table "${req.table}"`);
    return { row: toRow(row) };
  }

  async #update(env: Environment, req: Write): Promise<{ row: TableRow | null }> {
    checkName(req.table);
    const [row] = await this.database
      .queryRelaxed<RowRecord>(
        `UPDATE data_rows SET values = values || $4::text::jsonb, event_created = GREATEST(COALESCE(event_created, 0), $5), event_id = $6, write_key = $7, updated_at = now()
WHERE environment = $1 AND table_name = $2 AND key = $3 RETURNING key, values, updated_at`,
        writeParams(env, req),
      )
      .catch((error: unknown) => {
        throw rowError(error);
      });
    return { row: row ? toRow(row) : null };
  }

  async #delete(env: Environment, req: TableWrite): Promise<{ deleted: boolean }> {
    checkName(req.table);
    return { deleted: await this.remove(env, req.table, req.key) };
  }

  async #query(env: Environment, req: TableQuery): Promise<TableRow[]> {
    checkName(req.table);
    const where = sql.join(
      [sql`${dataRows.environment} = ${env}`, sql`${dataRows.tableName} = ${req.table}`, ...req.where.map(condition)],
      sql` AND `,
    );
    const order = req.orderBy.length
      ? sql.join(
          req.orderBy.map((o) => sql`${field(o.field)} ${o.direction === 'desc' ? sql`DESC` : sql`ASC`} NULLS LAST`),
          sql`, `,
        )
      : sql`${dataRows.key} ASC`;
    const rows = await this.database.db
      .select({ key: dataRows.key, values: dataRows.values, updatedAt: dataRows.updatedAt })
      .from(dataRows)
      .where(where)
      .orderBy(order)
      .limit(Math.max(1, Math.min(req.limit, 1000)));
    return rows.map((r) => ({
      key: r.key,
      values: r.values as Record<string, unknown>,
      updatedAt: r.updatedAt.getTime(),
    }));
  }

  // Admin side: an environment's tables and their rows.

  /** Each table of `env` with its row count and when a row last changed (its creation when it has none). */
  async list(env: Environment): Promise<{ name: string; rows: number; updatedAt: string }[]> {
    const rows = await this.database.db
      .select({
        name: dataTables.name,
        createdAt: dataTables.createdAt,
        rows: count(dataRows.key),
        lastWrite: sql<Date | string | null>`max(${dataRows.updatedAt})`,
      })
      .from(dataTables)
      .leftJoin(
        dataRows,
        and(eq(dataRows.environment, dataTables.environment), eq(dataRows.tableName, dataTables.name)),
      )
      .where(eq(dataTables.environment, env))
      .groupBy(dataTables.name, dataTables.createdAt)
      .orderBy(asc(dataTables.name));
    return rows.map((r) => ({
      name: r.name,
      rows: Number(r.rows),
      updatedAt: new Date(r.lastWrite ?? r.createdAt).toISOString(),
    }));
  }

  async exists(env: Environment, name: string): Promise<boolean> {
    const [row] = await this.database.db
      .select({ name: dataTables.name })
      .from(dataTables)
      .where(and(eq(dataTables.environment, env), eq(dataTables.name, name)));
    return Boolean(row);
  }

  /** Rows in key order, after `cursor` and starting with `keyPrefix` when given. */
  async rows(
    env: Environment,
    name: string,
    q: RowsQuery,
  ): Promise<{ items: (TableRow & { updatedAt: number })[]; nextCursor: string | null }> {
    const rows = await this.database.db
      .select({ key: dataRows.key, values: dataRows.values, updatedAt: dataRows.updatedAt })
      .from(dataRows)
      .where(
        and(
          eq(dataRows.environment, env),
          eq(dataRows.tableName, name),
          q.cursor === undefined ? undefined : gt(dataRows.key, q.cursor),
          q.keyPrefix ? sql`starts_with(${dataRows.key}, ${toStorableText(q.keyPrefix)})` : undefined,
          q.search ? containsText(q.search) : undefined,
        ),
      )
      .orderBy(asc(dataRows.key))
      .limit(q.limit + 1);
    const page = rows
      .slice(0, q.limit)
      .map((r) => ({ key: r.key, values: r.values as Record<string, unknown>, updatedAt: r.updatedAt.getTime() }));
    return { items: page, nextCursor: rows.length > q.limit ? (page.at(-1)?.key ?? null) : null };
  }

  /** Every value column of the table (the union of its rows' fields), sorted: the CSV export's header. */
  async columns(env: Environment, name: string): Promise<string[]> {
    const rows = await this.database.query<{ column: string }>(
      `SELECT DISTINCT k AS column
       FROM data_rows r, jsonb_object_keys(CASE WHEN jsonb_typeof(r.values) = 'object' THEN r.values ELSE '{}'::jsonb END) AS k
       WHERE r.environment = $1 AND r.table_name = $2
       ORDER BY 1`,
      [env, name],
    );
    return rows.map((r) => r.column);
  }

  /**
   * A hand edit: creates the row (and its table) or replaces its values whole. The last event's `created` stays,
   * so an older event arriving later is still refused by order-safe upserts; the row no longer carries a step's
   * write key, so a retried insert does not take the edited row for its own.
   */
  async put(env: Environment, name: string, key: string, values: Record<string, unknown>): Promise<TableRow> {
    checkName(name);
    const [row] = await this.database
      .query<RowRecord>(
        `WITH ensure_table AS (INSERT INTO data_tables (environment, name) VALUES ($1, $2) ON CONFLICT DO NOTHING)
INSERT INTO data_rows AS r (environment, table_name, key, values)
VALUES ($1, $2, $3, $4::text::jsonb)
ON CONFLICT (environment, table_name, key) DO UPDATE SET values = EXCLUDED.values, event_id = NULL, write_key = NULL, updated_at = now()
RETURNING key, values, updated_at`,
        [env, name, toStorableText(key), toJsonbText(values)],
      )
      .catch((error: unknown) => {
        throw rowError(error);
      });
    return toRow(row!);
  }

  /** Whether there was such a row. */
  async remove(env: Environment, name: string, key: string): Promise<boolean> {
    const rows = await this.database.queryRelaxed(
      `DELETE FROM data_rows WHERE environment = $1 AND table_name = $2 AND key = $3 RETURNING key`,
      [env, name, toStorableText(key)],
    );
    return rows.length > 0;
  }
}

/**
 * The search across a table: ILIKE over the key and each top-level value as text (nested objects as their JSON).
 * No index serves a substring: it reads the table's rows in key order until a page of matches is found, so its
 * cost grows with the table, not with the other tables or environments (the primary key bounds it to this one).
 */
function containsText(text: string): SQL {
  const pattern = `%${toStorableText(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`(${dataRows.key} ILIKE ${pattern} OR EXISTS (
    SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(${dataRows.values}) = 'object' THEN ${dataRows.values} ELSE '{}'::jsonb END) AS v
    WHERE v.value ILIKE ${pattern}))`;
}

interface PendingUpsert {
  env: Environment;
  req: TableWrite & { values: Record<string, unknown> };
  resolve: (result: UpsertResult) => void;
  reject: (error: unknown) => void;
}

const UPSERT = `WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])
    AS t(environment, table_name, key, values, event_created, event_id, write_key)
), ensure_table AS (
  INSERT INTO data_tables (environment, name) SELECT DISTINCT environment, table_name FROM input ON CONFLICT DO NOTHING
)
INSERT INTO data_rows AS r (environment, table_name, key, values, event_created, event_id, write_key)
SELECT environment, table_name, key, values::jsonb, event_created, event_id, write_key FROM input
ON CONFLICT (environment, table_name, key) DO UPDATE SET values = r.values || EXCLUDED.values, event_created = EXCLUDED.event_created,
  event_id = EXCLUDED.event_id, write_key = EXCLUDED.write_key, updated_at = now()
WHERE r.event_created IS NULL OR r.event_created <= EXCLUDED.event_created
RETURNING environment, table_name, key, values, updated_at, (xmax = 0) AS created`;

const ENSURE_TABLE = `WITH ensure_table AS (INSERT INTO data_tables (environment, name) VALUES ($1, $2) ON CONFLICT DO NOTHING)`;

/** Parameters of a single-row write, made storable: NUL and lone surrogates in keys and values become U+FFFD. */
function writeParams(env: Environment, req: Write): unknown[] {
  return [
    env,
    req.table,
    toStorableText(req.key),
    toJsonbText(req.values),
    req.eventCreated,
    toStorableText(req.eventId),
    toStorableText(req.idempotencyKey),
  ];
}

/** A write the database refused for its content fails its step for good; a retry would be refused again. */
function rowError(error: unknown): unknown {
  return isRowDataError(error)
    ? new NonRetriableError(`the row could not be stored: ${rowErrorReason(error)}`, { cause: error })
    : error;
}

const batchKey = (env: string, table: string, key: string) => `${env}\u0000${table}\u0000${key}`;

function checkName(name: string): void {
  if (!TABLE_NAME.test(name))
    throw new NonRetriableError(`table name "${name}" must be lowercase letters, digits and _, starting with a letter`);
}

function toRow(r: RowRecord): TableRow {
  return {
    key: r.key,
    values: (typeof r.values === 'string' ? JSON.parse(r.values) : r.values) as Record<string, unknown>,
    updatedAt: new Date(r.updated_at).getTime(),
  };
}

function field(name: string): SQL {
  if (name === '$key') return sql`${dataRows.key}`;
  if (name === '$updatedAt') return sql`${dataRows.updatedAt}`;
  return sql`(${dataRows.values} -> ${toStorableText(name)})`;
}

/** Comparisons on jsonb values: numbers compare as numbers, everything else as JSON (so "1000" ≠ 1000). */
function condition(c: TableCondition): SQL {
  const f = field(c.field);
  const isColumn = c.field === '$key' || c.field === '$updatedAt';
  const value = (v: unknown) =>
    isColumn
      ? c.field === '$updatedAt'
        ? sql`${new Date(Number(v)).toISOString()}::timestamptz`
        : sql`${toStorableText(String(v))}`
      : sql`${toJsonbText(v ?? null)}::jsonb`;
  switch (c.op) {
    case 'eq':
      return sql`${f} = ${value(c.value)}`;
    case 'ne':
      return sql`${f} IS DISTINCT FROM ${value(c.value)}`;
    case 'gt':
      return sql`${f} > ${value(c.value)}`;
    case 'gte':
      return sql`${f} >= ${value(c.value)}`;
    case 'lt':
      return sql`${f} < ${value(c.value)}`;
    case 'lte':
      return sql`${f} <= ${value(c.value)}`;
    case 'in': {
      const list = Array.isArray(c.value) ? c.value : [c.value];
      if (list.length === 0) return sql`false`;
      return sql`${f} IN (${sql.join(list.map(value), sql`, `)})`;
    }
    case 'contains':
      return isColumn
        ? sql`${f}::text ILIKE ${`%${toStorableText(String(c.value))}%`}`
        : sql`(${f} @> ${toJsonbText(c.value)}::jsonb OR (${dataRows.values} ->> ${toStorableText(c.field)}) ILIKE ${`%${toStorableText(String(c.value))}%`})`;
    case 'exists':
      return isColumn ? sql`true` : sql`${dataRows.values} ? ${toStorableText(c.field)}`;
  }
}
