import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { createRedactor, NonRetriableError } from '@switchyard/engine';
import { z } from 'zod';
import type { Environment } from '../db/schema.js';
import { tableCsv } from '../tables/export.js';
import { keepMaskedSecrets } from '../tables/masking.js';
import type { TableService } from '../tables/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const NoTable = errorAnswer('not_found: this environment has no such table');

const routes = {
  list: createRoute(
    contractRoute(operations.listTables, {
      tags: ['tables'],
      summary: "The environment's data tables; a table appears with its first row",
      answered: 'data tables',
    }),
  ),
  rows: createRoute(
    contractRoute(operations.listRows, {
      tags: ['tables'],
      summary:
        'Rows in key order; `key` keeps the rows whose key starts with it, `q` those whose key or any value contains it (ignoring case); the next page is in X-Next-Cursor',
      answered: 'rows',
      errors: { 400: errorAnswer('invalid_request: a bad table name or query'), 404: NoTable },
    }),
  ),
  put: createRoute(
    contractRoute(operations.putRow, {
      tags: ['tables'],
      summary: 'Create a row or replace its values by hand (the table is created with its first row)',
      answered: 'the row as stored',
      errors: { 400: errorAnswer('invalid_request: a bad table name, key, or values that are not a JSON object') },
    }),
  ),
  export: createRoute({
    ...contractRoute(operations.exportTable, {
      tags: ['tables'],
      summary:
        'The table as CSV, streamed: a header of key and every value column, one line per row in key order; objects as JSON, formulas defused, secrets masked',
      answered: 'text/csv',
      errors: { 404: NoTable },
    }),
    responses: {
      200: { description: 'text/csv (RFC 4180)', content: { 'text/csv': { schema: z.string() } } },
      404: NoTable,
    },
  }),
  delete: createRoute(
    contractRoute(operations.deleteRow, {
      tags: ['tables'],
      summary: 'Delete a row by hand',
      answered: 'deleted',
      errors: { 404: errorAnswer('not_found: no such row') },
    }),
  ),
};

const toJson = (r: { key: string; values: Record<string, unknown>; updatedAt: number }) => ({
  ...r,
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** The environment's secret values, so answers and exports can mask any a workflow wrote into a row. */
export interface SecretValues {
  forRun(env: Environment): Promise<{ secrets: Record<string, string> }>;
}

export function tablesApi(tables: TableService, secrets: SecretValues) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => c.json(await tables.list(c.req.valid('param').env), 200))
    .openapi(routes.rows, async (c) => {
      const { env, table } = c.req.valid('param');
      const { limit, cursor, key, q } = c.req.valid('query');
      if (!(await tables.exists(env, table)))
        return c.json(failure('not_found', `the ${env} environment has no table ${table}`), 404);
      const page = await tables.rows(env, table, { limit, cursor, keyPrefix: key, search: q });
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      // A workflow may have written a secret's value into a row: answers show it masked, as step records do.
      const redact = createRedactor((await secrets.forRun(env)).secrets);
      return c.json(
        page.items.map((r) => toJson({ ...r, values: redact(r.values) as Record<string, unknown> })),
        200,
      );
    })
    .openapi(routes.put, async (c) => {
      const { env, table, key } = c.req.valid('param');
      const redact = createRedactor((await secrets.forRun(env)).secrets);
      const [stored] = (await tables.rows(env, table, { keyPrefix: key, limit: 1 })).items.filter((r) => r.key === key);
      const values = stored
        ? (keepMaskedSecrets(c.req.valid('json').values, stored.values, redact) as Record<string, unknown>)
        : c.req.valid('json').values;
      try {
        const row = await tables.put(env, table, key, values);
        return c.json(toJson({ ...row, values: redact(row.values) as Record<string, unknown> }), 200);
      } catch (error) {
        // The database refused the content (e.g. a number jsonb cannot hold): nothing was written.
        if (error instanceof NonRetriableError) return c.json(failure('invalid_request', error.message), 400);
        throw error;
      }
    })
    .openapi(routes.export, async (c) => {
      const { env, table } = c.req.valid('param');
      if (!(await tables.exists(env, table)))
        return c.json(failure('not_found', `the ${env} environment has no table ${table}`), 404);
      const redact = createRedactor((await secrets.forRun(env)).secrets);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${env}-${table}.csv"`);
      c.header('Cache-Control', 'no-store');
      return c.body(tableCsv(tables, env, table, redact), 200);
    })
    .openapi(routes.delete, async (c) => {
      const { env, table, key } = c.req.valid('param');
      if (!(await tables.remove(env, table, key)))
        return c.json(failure('not_found', `table ${table} in ${env} has no row with key ${key}`), 404);
      return c.body(null, 204);
    });
}
