import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { TableService } from '../tables/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const routes = {
  list: createRoute(contractRoute(operations.listTables, { tags: ['tables'], answered: 'data tables' })),
  create: createRoute(
    contractRoute(operations.createTable, {
      tags: ['tables'],
      summary: 'Create a data table (tables are also created by their first write)',
      answered: 'created or already there',
      errors: { 400: errorAnswer('invalid_request: invalid name') },
    }),
  ),
  rows: createRoute(
    contractRoute(operations.listRows, {
      tags: ['tables'],
      summary: 'Rows in key order; the next page is in X-Next-Cursor',
      answered: 'rows',
      errors: { 404: errorAnswer('not_found: no such table') },
    }),
  ),
};

export function tablesApi(tables: TableService) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => c.json(await tables.list(), 200))
    .openapi(routes.create, async (c) => {
      const { name } = c.req.valid('json');
      await tables.create(name);
      return c.json({ name }, 201);
    })
    .openapi(routes.rows, async (c) => {
      const { table } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      if (!(await tables.exists(table))) return c.json(failure('not_found', `table ${table} does not exist`), 404);
      const page = await tables.rows(table, limit, cursor);
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(
        page.items.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })),
        200,
      );
    });
}
