import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { BULK_RETRY_LIMIT, operations } from '@switchyard/contract';
import type { ExecutionService } from '../executions/service.js';
import { mapDomainError, validationHook } from './errors.js';
import { contractRoute, errorAnswer } from './schemas.js';

const Missing = errorAnswer('not_found');

const routes = {
  list: createRoute(
    contractRoute(operations.listExecutions, {
      tags: ['executions'],
      summary:
        'Search executions by workflow, environment, status, event type, Stripe object id, time range or the dead-letter view; newest first, the next page is in X-Next-Cursor',
      answered: 'executions without their step payloads (GET /executions/{id} has them)',
      errors: { 400: errorAnswer('invalid_request: a bad filter or cursor') },
    }),
  ),
  retryMany: createRoute(
    contractRoute(operations.retryExecutions, {
      tags: ['executions'],
      summary: `Retry failed executions by id or by filter, at most ${BULK_RETRY_LIMIT} per call, each failed run exactly once however often the call repeats; call again while remaining > 0`,
      answered:
        'how many were retried, how many still match, the new executions, the ids not retried and why, and the bound a filter used',
      errors: {
        400: errorAnswer('invalid_request: neither or both of ids and filter, an id not a number, or a bad filter'),
      },
    }),
  ),
  get: createRoute(
    contractRoute(operations.getExecution, {
      tags: ['executions'],
      answered: 'one execution with every step',
      errors: { 404: Missing },
    }),
  ),
  retry: createRoute(
    contractRoute(operations.retryExecution, {
      tags: ['executions'],
      summary:
        "Retry a failed execution from its failed step (a new execution, linked by parentId), on the version it ran ('same', the default) or the latest saved one ('latest')",
      answered: 'the new execution, its workflowVersion the version it runs',
      bodyOptional: true,
      errors: { 404: Missing, 409: errorAnswer('not_retryable: the execution did not fail') },
    }),
  ),
  replay: createRoute(
    contractRoute(operations.replayEvent, {
      tags: ['events'],
      summary: 'Run a stored event again, against its matching workflows or one workflow at a chosen version',
      answered: 'the new executions, each with its id; empty when no workflow matches',
      bodyOptional: true,
      errors: { 400: errorAnswer('invalid_request'), 404: Missing },
    }),
  ),
};

export function executionsApi(executions: ExecutionService) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => mapDomainError(error, c));
  return app
    .openapi(routes.list, async (c) => {
      const page = await executions.list(c.req.valid('query'));
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(page.items, 200);
    })
    .openapi(routes.retryMany, async (c) => c.json(await executions.retryMany(c.req.valid('json')), 200))
    .openapi(routes.get, async (c) => c.json(await executions.get(c.req.valid('param').id), 200))
    .openapi(routes.retry, async (c) =>
      c.json(await executions.retry(c.req.valid('param').id, c.req.valid('json').version), 201),
    )
    .openapi(routes.replay, async (c) => {
      const { env, eventId } = c.req.valid('param');
      const { workflowId, version } = c.req.valid('json');
      return c.json(await executions.replay(env, eventId, { workflowId, version }), 201);
    });
}
