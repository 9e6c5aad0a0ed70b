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
import { asc, count, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { isRowDataError, rowErrorReason, toJsonbText, toStorableText } from '../db/json-safe.js';
import { dataRows, dataTables } from '../db/schema.js';

// The contract's table-name rule, so the API's 400 and the service's own check agree.
export { TABLE_NAME };

type RowRecord = {
  key: string;
  values: Record<string, unknown> | string;
  updated_at: Date | string;
  created?: boolean;
};

/**
 * Data tables as JSON rows (see schema.ts for why). Writes go straight to the driver: they are on every
 * run's path. A table is created by its first write, in the same statement.
 */
export class TableService implements TablesPort {
  constructor(private readonly database: Database) {}

  /**
   * Order-safe: the conflict update applies only when this event is not older than the row's last writer.
   * Upserts from runs finishing in the same turn of the event loop share one statement (group commit):
   * at a thousand runs a second, a statement per write would be the database's main load.
   */
  upsert(req: TableWrite & { values: Record<string, unknown> }): Promise<UpsertResult> {
    checkName(req.table);
    return new Promise((resolve, reject) => {
      this.#upserts.push({ req, resolve, reject });
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
        const key = `${pending[i]!.req.table}\u0000${toStorableText(pending[i]!.req.key)}`;
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
    return this.database.queryRelaxed<RowRecord & { table_name: string }>(UPSERT, [
      batch.map((u) => u.req.table),
      batch.map((u) => toStorableText(u.req.key)),
      batch.map((u) => toJsonbText(u.req.values)),
      batch.map((u) => u.req.eventCreated),
      batch.map((u) => toStorableText(u.req.eventId)),
      batch.map((u) => toStorableText(u.req.idempotencyKey)),
    ]);
  }

  #settle(batch: PendingUpsert[], rows: (RowRecord & { table_name: string })[]): void {
    const written = new Map(rows.map((r) => [`${r.table_name}\u0000${r.key}`, r]));
    for (const u of batch) {
      const row = written.get(`${u.req.table}\u0000${toStorableText(u.req.key)}`);
      u.resolve(
        row ? { skipped: false, created: Boolean(row.created), row: toRow(row) } : { skipped: true, reason: 'stale' },
      );
    }
  }

  async insert(req: TableWrite & { values: Record<string, unknown> }): Promise<{ row: TableRow }> {
    checkName(req.table);
    // A conflicting row written by this same step (same idempotency key) is the earlier attempt's result.
    const [row] = await this.database
      .queryRelaxed<RowRecord>(
        `${ENSURE_TABLE}
INSERT INTO data_rows AS r (table_name, key, values, event_created, event_id, write_key)
VALUES ($1, $2, $3::text::jsonb, $4, $5, $6)
ON CONFLICT (table_name, key) DO UPDATE SET write_key = r.write_key WHERE r.write_key = EXCLUDED.write_key
RETURNING key, values, updated_at`,
        writeParams(req),
      )
      .catch((error: unknown) => {
        throw rowError(error);
      });
    if (!row) throw new NonRetriableError(`a row with key "${req.key}" already exists in table "${req.table}"`);
    return { row: toRow(row) };
  }

  async update(req: TableWrite & { values: Record<string, unknown> }): Promise<{ row: TableRow | null }> {
    checkName(req.table);
    const [row] = await this.database
      .queryRelaxed<RowRecord>(
        `UPDATE data_rows SET values = values || $3::text::jsonb, event_created = GREATEST(COALESCE(event_created, 0), $4), event_id = $5, write_key = $6, updated_at = now()
WHERE table_name = $1 AND key = $2 RETURNING key, values, updated_at`,
        writeParams(req),
      )
      .catch((error: unknown) => {
        throw rowError(error);
      });
    return { row: row ? toRow(row) : null };
  }

  async delete(req: TableWrite): Promise<{ deleted: boolean }> {
    checkName(req.table);
    const rows = await this.database.queryRelaxed(
      `DELETE FROM data_rows WHERE table_name = $1 AND key = $2 RETURNING key`,
      [req.table, toStorableText(req.key)],
    );
    return { deleted: rows.length > 0 };
  }

  async query(req: TableQuery): Promise<TableRow[]> {
    checkName(req.table);
    const where = sql.join([sql`${dataRows.tableName} = ${req.table}`, ...req.where.map(condition)], sql` AND `);
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

  // Admin side: tables and their rows.

  async create(name: string): Promise<void> {
    checkName(name);
    await this.database.db.insert(dataTables).values({ name }).onConflictDoNothing();
  }

  async list(): Promise<{ name: string; rowCount: number; createdAt: string }[]> {
    const rows = await this.database.db
      .select({ name: dataTables.name, createdAt: dataTables.createdAt, rowCount: count(dataRows.key) })
      .from(dataTables)
      .leftJoin(dataRows, eq(dataRows.tableName, dataTables.name))
      .groupBy(dataTables.name, dataTables.createdAt)
      .orderBy(asc(dataTables.name));
    return rows.map((r) => ({ name: r.name, rowCount: Number(r.rowCount), createdAt: r.createdAt.toISOString() }));
  }

  async exists(name: string): Promise<boolean> {
    const [row] = await this.database.db
      .select({ name: dataTables.name })
      .from(dataTables)
      .where(eq(dataTables.name, name));
    return Boolean(row);
  }

  /** Rows in key order; `cursor` is the last key of the previous page. */
  async rows(
    name: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: (TableRow & { updatedAt: number })[]; nextCursor: string | null }> {
    const rows = await this.database.db
      .select({ key: dataRows.key, values: dataRows.values, updatedAt: dataRows.updatedAt })
      .from(dataRows)
      .where(
        cursor === undefined
          ? eq(dataRows.tableName, name)
          : sql`${dataRows.tableName} = ${name} AND ${gt(dataRows.key, cursor)}`,
      )
      .orderBy(asc(dataRows.key))
      .limit(limit + 1);
    const page = rows
      .slice(0, limit)
      .map((r) => ({ key: r.key, values: r.values as Record<string, unknown>, updatedAt: r.updatedAt.getTime() }));
    return { items: page, nextCursor: rows.length > limit ? (page.at(-1)?.key ?? null) : null };
  }
}

interface PendingUpsert {
  req: TableWrite & { values: Record<string, unknown> };
  resolve: (result: UpsertResult) => void;
  reject: (error: unknown) => void;
}

const UPSERT = `WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
    AS t(table_name, key, values, event_created, event_id, write_key)
), ensure_table AS (
  INSERT INTO data_tables (name) SELECT DISTINCT table_name FROM input ON CONFLICT DO NOTHING
)
INSERT INTO data_rows AS r (table_name, key, values, event_created, event_id, write_key)
SELECT table_name, key, values::jsonb, event_created, event_id, write_key FROM input
ON CONFLICT (table_name, key) DO UPDATE SET values = r.values || EXCLUDED.values, event_created = EXCLUDED.event_created,
  event_id = EXCLUDED.event_id, write_key = EXCLUDED.write_key, updated_at = now()
WHERE r.event_created IS NULL OR r.event_created <= EXCLUDED.event_created
RETURNING table_name, key, values, updated_at, (xmax = 0) AS created`;

const ENSURE_TABLE = `WITH ensure_table AS (INSERT INTO data_tables (name) VALUES ($1) ON CONFLICT DO NOTHING)`;

/** Parameters of a single-row write, made storable: NUL and lone surrogates in keys and values become U+FFFD. */
function writeParams(req: TableWrite & { values: Record<string, unknown> }): unknown[] {
  return [
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
