import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { TABLE_NAME, type TableService } from '../tables/service.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';

const TableName = z.string().regex(TABLE_NAME, 'lowercase letters, digits and _, starting with a letter');
const Row = z
  .object({ key: z.string(), values: z.record(z.string(), z.unknown()), updatedAt: z.string() })
  .openapi('Row');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/tables',
    tags: ['tables'],
    responses: {
      200: json(
        z.array(z.object({ name: z.string(), rowCount: z.number().int(), createdAt: z.string() })),
        'data tables',
      ),
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/tables',
    tags: ['tables'],
    summary: 'Create a data table (tables are also created by their first write)',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ name: TableName }) } } } },
    responses: {
      201: json(z.object({ name: z.string() }), 'created or already there'),
      400: json(ErrorBody, 'invalid name'),
    },
  }),
  rows: createRoute({
    method: 'get',
    path: '/tables/{table}/rows',
    tags: ['tables'],
    summary: 'Rows in key order; the next page is in X-Next-Cursor',
    request: {
      params: z.object({ table: TableName }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().optional() }),
    },
    responses: { 200: json(z.array(Row), 'rows'), 404: json(ErrorBody, 'no such table') },
  }),
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
      if (!(await tables.exists(table)))
        return c.json({ error: 'not_found', message: `table ${table} does not exist` }, 404);
      const page = await tables.rows(table, limit, cursor);
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(
        page.items.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })),
        200,
      );
    });
}
