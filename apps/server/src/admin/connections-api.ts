import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Connection, ConnectionInput, EnvironmentParam } from '../connections/schemas.js';
import { type ConnectionService, PathTakenError } from '../connections/service.js';
import type { WebhookRouteCache } from '../ingest/webhook-routes.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';

const params = z.object({ env: EnvironmentParam });

const getConnection = createRoute({
  method: 'get',
  path: '/environments/{env}/stripe',
  tags: ['connections'],
  summary: "An environment's Stripe connection, secrets masked",
  request: { params },
  responses: { 200: { description: 'the connection', content: { 'application/json': { schema: Connection } } } },
});

const putConnection = createRoute({
  method: 'put',
  path: '/environments/{env}/stripe',
  tags: ['connections'],
  summary: "Set an environment's Stripe connection",
  request: { params, body: { required: true, content: { 'application/json': { schema: ConnectionInput } } } },
  responses: {
    200: {
      description: 'the saved connection, secrets masked',
      content: { 'application/json': { schema: Connection } },
    },
    400: { description: 'invalid input', content: { 'application/json': { schema: ErrorBody } } },
    409: {
      description: 'the webhook path belongs to another environment',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

export function connectionsApi(connections: ConnectionService, routes: WebhookRouteCache) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(getConnection, async (c) => c.json(await connections.get(c.req.valid('param').env), 200))
    .openapi(putConnection, async (c) => {
      try {
        const saved = await connections.put(c.req.valid('param').env, c.req.valid('json'));
        routes.invalidate();
        return c.json(saved, 200);
      } catch (error) {
        if (error instanceof PathTakenError) return c.json({ error: 'conflict', message: error.message }, 409);
        throw error;
      }
    });
}
