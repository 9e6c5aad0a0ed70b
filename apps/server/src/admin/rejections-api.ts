import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { RefusalStore } from '../rejections/store.js';
import { validationHook } from './errors.js';
import { contractRoute } from './schemas.js';

const routes = {
  list: createRoute(
    contractRoute(operations.listRejections, {
      tags: ['events'],
      summary: 'The last 100 webhook deliveries this environment refused, newest first',
      description:
        'When, the status answered and why: nothing of their bodies or headers. Deliveries to a path no environment owns are not listed anywhere.',
      answered: 'the refusals, newest first',
    }),
  ),
};

export function rejectionsApi(store: RefusalStore) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(routes.list, async (c) =>
    c.json(await store.list(c.req.valid('param').env), 200),
  );
}
