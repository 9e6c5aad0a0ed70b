import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { type ConnectionService, PathTakenError } from '../connections/service.js';
import type { WebhookRouteCache } from '../ingest/webhook-routes.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const getConnection = createRoute(
  contractRoute(operations.getConnection, {
    tags: ['connections'],
    summary: "An environment's Stripe connection, secrets masked",
    answered: 'the connection',
  }),
);

const putConnection = createRoute(
  contractRoute(operations.putConnection, {
    tags: ['connections'],
    summary: "Set an environment's Stripe connection",
    answered: 'the saved connection, secrets masked',
    errors: {
      400: errorAnswer('invalid_request'),
      409: errorAnswer('path_taken: the webhook path belongs to another environment'),
    },
  }),
);

export function connectionsApi(connections: ConnectionService, routes: WebhookRouteCache) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(getConnection, async (c) => c.json(await connections.get(c.req.valid('param').env), 200))
    .openapi(putConnection, async (c) => {
      try {
        const saved = await connections.put(c.req.valid('param').env, c.req.valid('json'));
        routes.invalidate();
        return c.json(saved, 200);
      } catch (error) {
        if (error instanceof PathTakenError) return c.json(failure('path_taken', error.message), 409);
        throw error;
      }
    });
}
