import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { NonRetriableError } from '@switchyard/engine';
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
      summary: 'Rows in key order; `key` keeps the rows whose key starts with it; the next page is in X-Next-Cursor',
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

export function tablesApi(tables: TableService) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => c.json(await tables.list(c.req.valid('param').env), 200))
    .openapi(routes.rows, async (c) => {
      const { env, table } = c.req.valid('param');
      const { limit, cursor, key } = c.req.valid('query');
      if (!(await tables.exists(env, table)))
        return c.json(failure('not_found', `the ${env} environment has no table ${table}`), 404);
      const page = await tables.rows(env, table, { limit, cursor, keyPrefix: key });
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(page.items.map(toJson), 200);
    })
    .openapi(routes.put, async (c) => {
      const { env, table, key } = c.req.valid('param');
      const { values } = c.req.valid('json');
      try {
        return c.json(toJson(await tables.put(env, table, key, values)), 200);
      } catch (error) {
        // The database refused the content (e.g. a number jsonb cannot hold): nothing was written.
        if (error instanceof NonRetriableError) return c.json(failure('invalid_request', error.message), 400);
        throw error;
      }
    })
    .openapi(routes.delete, async (c) => {
      const { env, table, key } = c.req.valid('param');
      if (!(await tables.remove(env, table, key)))
        return c.json(failure('not_found', `table ${table} in ${env} has no row with key ${key}`), 404);
      return c.body(null, 204);
    });
}
