import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

/** Lowercase letters, digits and _, starting with a letter; at most 63 characters (a PostgreSQL identifier). */
export const TABLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const TableName = z
  .string()
  .regex(TABLE_NAME, 'a table name is lowercase letters, digits and _, starting with a letter (at most 63)');

/** The table nodes cut keys at 500 characters, so no row has a longer one. */
export const ROW_KEY_MAX = 500;
export const RowKey = z
  .string()
  .min(1, 'a row needs a key')
  .max(ROW_KEY_MAX, `a row key is at most ${ROW_KEY_MAX} characters`);

export const TableSummary = z
  .object({
    name: z.string(),
    rows: z.number().int().meta({ description: 'how many rows the table holds in this environment' }),
    updatedAt: z.string().meta({ description: 'when a row last changed; the table’s creation when it has none' }),
  })
  .meta({ id: 'TableSummary' });
export type TableSummary = z.infer<typeof TableSummary>;

export const RowValues = z.record(z.string(), z.unknown());

export const Row = z.object({ key: z.string(), values: RowValues, updatedAt: z.string() }).meta({ id: 'Row' });
export type Row = z.infer<typeof Row>;

export const RowInput = z
  .object({
    values: z.record(z.string(), z.unknown(), 'values must be a JSON object, e.g. { "status": "paid" }'),
  })
  .meta({ id: 'RowInput' });
export type RowInput = z.infer<typeof RowInput>;

const TableParams = z.object({ env: Environment, table: TableName });
const RowParams = TableParams.extend({ key: RowKey });

export const tableOperations = {
  listTables: operation({
    ...routes.listTables,
    params: z.object({ env: Environment }),
    answer: z.array(TableSummary),
  }),
  listRows: operation({
    ...routes.listRows,
    params: TableParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional().meta({ description: 'the X-Next-Cursor of the previous page' }),
      key: z.string().max(ROW_KEY_MAX).optional().meta({ description: 'only rows whose key starts with this' }),
      q: z
        .string()
        .max(200)
        .optional()
        .meta({ description: 'only rows whose key or any value contains this text, ignoring case' }),
    }),
    answer: z.array(Row),
  }),
  putRow: operation({ ...routes.putRow, params: RowParams, body: RowInput, answer: Row }),
  deleteRow: operation({ ...routes.deleteRow, params: RowParams, answer: null }),
  /** text/csv, streamed: a header of `key` and every value column, then one line per row in key order. */
  exportTable: operation({ ...routes.exportTable, params: TableParams, answer: null }),
};
