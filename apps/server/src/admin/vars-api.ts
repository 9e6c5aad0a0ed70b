import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { SecretService } from '../secrets/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const tags = ['variables'];
const routes = {
  list: createRoute(
    contractRoute(operations.listVars, { tags, summary: "An environment's variables", answered: 'the variables' }),
  ),
  put: createRoute(
    contractRoute(operations.putVar, {
      tags,
      summary: 'Set a variable (any JSON), read by workflows as {{ context.vars.NAME }}',
      answered: 'the variable',
      errors: { 400: errorAnswer('invalid_request: invalid name or no value') },
    }),
  ),
  delete: createRoute(
    contractRoute(operations.deleteVar, {
      tags,
      summary: 'Remove a variable',
      answered: 'removed',
      errors: { 404: errorAnswer('not_found: no such variable') },
    }),
  ),
};

export function varsApi(secrets: SecretService) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => c.json(await secrets.listVars(c.req.valid('param').env), 200))
    .openapi(routes.put, async (c) => {
      const { env, name } = c.req.valid('param');
      return c.json(await secrets.putVar(env, name, c.req.valid('json').value), 200);
    })
    .openapi(routes.delete, async (c) => {
      const { env, name } = c.req.valid('param');
      if (!(await secrets.deleteVar(env, name)))
        return c.json(failure('not_found', `variable ${name} is not set in ${env}`), 404);
      return c.body(null, 204);
    });
}
