import { z } from 'zod';
import { operation } from './operation.js';
import { routes } from './routes.js';

/** Lowercase letters, digits and _, starting with a letter; at most 63 characters (a PostgreSQL identifier). */
export const TABLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const TableName = z.string().regex(TABLE_NAME, 'lowercase letters, digits and _, starting with a letter');

export const TableSummary = z.object({ name: z.string(), rowCount: z.number().int(), createdAt: z.string() });
export type TableSummary = z.infer<typeof TableSummary>;

export const Row = z
  .object({ key: z.string(), values: z.record(z.string(), z.unknown()), updatedAt: z.string() })
  .meta({ id: 'Row' });
export type Row = z.infer<typeof Row>;

export const tableOperations = {
  listTables: operation({ ...routes.listTables, answer: z.array(TableSummary) }),
  createTable: operation({
    ...routes.createTable,
    body: z.object({ name: TableName }),
    answer: z.object({ name: z.string() }),
  }),
  listRows: operation({
    ...routes.listRows,
    params: z.object({ table: TableName }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().optional() }),
    answer: z.array(Row),
  }),
};
