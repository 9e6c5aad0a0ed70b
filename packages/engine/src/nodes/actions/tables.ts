import { z } from 'zod';
import { briefValue, type DraftConfig, defineNode, MAIN_OUTPUT, type NodeRunArgs } from '../../registry.js';
import { DEFAULT_RETRY } from '../../retry.js';
import { asRecord, asText } from '../values.js';
import { retryField, TableNameSchema, ValuesSchema } from './shared.js';

const KeySchema = z.string().min(1, 'required').max(500).describe('Row key, e.g. {{ context.event.object.id }}');

const rowSummary = (c: DraftConfig) => `${briefValue(c.table) || '…'}${c.key ? ` · ${briefValue(c.key)}` : ''}`;
const KEYED_ROW = { table: '', key: '{{ context.event.object.id }}' };
const ROW_FIELDS = {
  table: { label: 'Table' },
  key: { label: 'Row key' },
  retry: { label: 'Retries', advanced: true },
};
const ROW_UI = { fields: { ...ROW_FIELDS, values: { label: 'Values' } } };
// Every table node has externalEffects false: writes carry the step's idempotency key and upsert is
// order-safe, so repeating one after a crash changes nothing; their steps are saved with the run's end.

type WriteArgs = Pick<NodeRunArgs<unknown>, 'nodeId' | 'idempotencyKey' | 'event'>;

function writeMeta(args: WriteArgs, table: unknown, keyValue: unknown) {
  return {
    table: asText(table, 'table', args.nodeId),
    key: asText(keyValue, 'key', args.nodeId).slice(0, 500),
    idempotencyKey: args.idempotencyKey,
    eventId: args.event.id,
    eventCreated: args.event.created,
  };
}

export const tableUpsertNode = defineNode({
  type: 'table.upsert',
  version: 1,
  category: 'data',
  label: 'Upsert row',
  description:
    'Creates the row or merges values into it. Order-safe: an event older than the one that last wrote the row is skipped.',
  config: z.object({ table: TableNameSchema, key: KeySchema, values: ValuesSchema, retry: retryField }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'table',
  summary: rowSummary,
  externalEffects: false,
  initialConfig: { ...KEYED_ROW, values: {} },
  ui: ROW_UI,
  async run(args) {
    const { config, ports, nodeId } = args;
    const res = await ports.tables.upsert({
      ...writeMeta(args, config.table, config.key),
      values: asRecord(config.values, 'values', nodeId),
    });
    if (res.skipped) return { output: { skipped: true, reason: res.reason } };
    return { output: { skipped: false, created: res.created, key: res.row.key, values: res.row.values } };
  },
});

export const tableInsertNode = defineNode({
  type: 'table.insert',
  version: 1,
  category: 'data',
  label: 'Insert row',
  description: 'Creates a row; fails when the key already exists.',
  config: z.object({ table: TableNameSchema, key: KeySchema, values: ValuesSchema, retry: retryField }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'list-plus',
  summary: rowSummary,
  externalEffects: false,
  initialConfig: { ...KEYED_ROW, values: {} },
  ui: ROW_UI,
  async run(args) {
    const { config, ports, nodeId } = args;
    const { row } = await ports.tables.insert({
      ...writeMeta(args, config.table, config.key),
      values: asRecord(config.values, 'values', nodeId),
    });
    return { output: { key: row.key, values: row.values } };
  },
});

export const tableUpdateNode = defineNode({
  type: 'table.update',
  version: 1,
  category: 'data',
  label: 'Update row',
  description: 'Merges values into an existing row; `updated: false` when there is none.',
  config: z.object({ table: TableNameSchema, key: KeySchema, values: ValuesSchema, retry: retryField }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'pencil',
  summary: rowSummary,
  externalEffects: false,
  initialConfig: { ...KEYED_ROW, values: {} },
  ui: ROW_UI,
  async run(args) {
    const { config, ports, nodeId } = args;
    const { row } = await ports.tables.update({
      ...writeMeta(args, config.table, config.key),
      values: asRecord(config.values, 'values', nodeId),
    });
    return { output: row ? { updated: true, key: row.key, values: row.values } : { updated: false } };
  },
});

export const tableDeleteNode = defineNode({
  type: 'table.delete',
  version: 1,
  category: 'data',
  label: 'Delete row',
  description: 'Deletes a row by key.',
  config: z.object({ table: TableNameSchema, key: KeySchema, retry: retryField }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'trash-2',
  summary: rowSummary,
  externalEffects: false,
  initialConfig: KEYED_ROW,
  ui: { fields: ROW_FIELDS },
  async run(args) {
    const { deleted } = await args.ports.tables.delete(writeMeta(args, args.config.table, args.config.key));
    return { output: { deleted } };
  },
});

const ConditionSchema = z.object({
  field: z.string().min(1, 'required').max(64).describe('A column, or $key / $updatedAt'),
  op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists']).default('eq'),
  value: z.unknown().optional(),
});

export const tableQueryNode = defineNode({
  type: 'table.query',
  version: 1,
  category: 'data',
  label: 'Query rows',
  description: 'Finds rows by conditions (all must hold), sorted and limited.',
  config: z.object({
    table: TableNameSchema,
    where: z.array(ConditionSchema).max(20).default([]),
    orderBy: z
      .array(z.object({ field: z.string().min(1).max(64), direction: z.enum(['asc', 'desc']).default('asc') }))
      .max(5)
      .default([]),
    limit: z.number().int().min(1).max(1000).default(100),
    retry: retryField,
  }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'search',
  summary: (c) =>
    `${briefValue(c.table) || '…'}${Array.isArray(c.where) && c.where.length ? ` · where ${c.where.length}` : ''}`,
  externalEffects: false,
  ui: {
    fields: {
      table: { label: 'Table' },
      where: { label: 'Where' },
      orderBy: { label: 'Order by', advanced: true },
      limit: { label: 'Limit', advanced: true },
      retry: { label: 'Retries', advanced: true },
    },
  },
  async run({ config, ports, nodeId }) {
    const rows = await ports.tables.query({
      table: asText(config.table, 'table', nodeId),
      where: config.where.map((c, i) => ({
        field: asText(c.field, `where[${i}].field`, nodeId),
        op: c.op,
        value: c.value,
      })),
      orderBy: config.orderBy.map((o, i) => ({
        field: asText(o.field, `orderBy[${i}].field`, nodeId),
        direction: o.direction,
      })),
      limit: config.limit,
    });
    return { output: { rows, count: rows.length, first: rows[0] ?? null } };
  },
});
