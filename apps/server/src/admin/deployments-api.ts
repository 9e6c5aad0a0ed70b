import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { DeploymentService } from '../deployments/service.js';
import { mapDomainError, validationHook } from './errors.js';
import { contractRoute, errorAnswer } from './schemas.js';

const routes = {
  list: createRoute(
    contractRoute(operations.listDeployments, {
      tags: ['workflows'],
      summary: 'What each environment runs of each workflow, and whether it is paused',
      answered: 'every deployment',
    }),
  ),
  set: createRoute(
    contractRoute(operations.setDeployment, {
      tags: ['workflows'],
      summary: 'Pause or resume a workflow in one environment',
      description:
        'A paused workflow creates no executions; its events are still stored, and the event detail says `paused`.',
      answered: 'the deployment',
      errors: {
        400: errorAnswer('invalid_request'),
        404: errorAnswer('not_found: no such workflow, or not published in this environment'),
      },
    }),
  ),
};

export function deploymentsApi(service: DeploymentService): OpenAPIHono {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => mapDomainError(error, c));
  return app
    .openapi(routes.list, async (c) => c.json(await service.list(), 200))
    .openapi(routes.set, async (c) => {
      const { id, env } = c.req.valid('param');
      return c.json(await service.setEnabled(id, env, c.req.valid('json').enabled), 200);
    });
}
