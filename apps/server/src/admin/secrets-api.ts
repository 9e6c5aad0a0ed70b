import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { SecretService } from '../secrets/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const tags = ['secrets'];
const routes = {
  list: createRoute(
    contractRoute(operations.listSecrets, {
      tags,
      summary: "An environment's secrets, masked: a value is never answered",
      answered: 'the secrets by name',
    }),
  ),
  put: createRoute(
    contractRoute(operations.putSecret, {
      tags,
      summary: 'Set a secret, read by workflows as {{ context.secrets.NAME }}; the value is stored encrypted',
      answered: 'the secret, masked',
      errors: { 400: errorAnswer('invalid_request: invalid name or value') },
    }),
  ),
  delete: createRoute(
    contractRoute(operations.deleteSecret, {
      tags,
      summary: 'Remove a secret',
      answered: 'removed',
      errors: { 404: errorAnswer('not_found: no such secret') },
    }),
  ),
};

export function secretsApi(secrets: SecretService) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => c.json(await secrets.listSecrets(c.req.valid('param').env), 200))
    .openapi(routes.put, async (c) => {
      const { env, name } = c.req.valid('param');
      return c.json(await secrets.putSecret(env, name, c.req.valid('json').value), 200);
    })
    .openapi(routes.delete, async (c) => {
      const { env, name } = c.req.valid('param');
      if (!(await secrets.deleteSecret(env, name)))
        return c.json(failure('not_found', `secret ${name} is not set in ${env}`), 404);
      return c.body(null, 204);
    });
}
