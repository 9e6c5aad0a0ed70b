import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { EnvironmentParam } from '../connections/schemas.js';
import { ENVIRONMENTS, EXECUTION_STATUSES } from '../db/schema.js';
import type { ExecutionService } from '../executions/service.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';
import { mapError } from './workflows-api.js';

const Step = z
  .object({
    nodeId: z.string(),
    stepKey: z.string(),
    nodeType: z.string(),
    status: z.enum(['succeeded', 'failed', 'skipped']),
    input: z.unknown(),
    output: z.unknown(),
    handles: z.array(z.string()),
    error: z.string().nullable(),
    errorDetail: z.unknown(),
    attempt: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .openapi('Step');

const Execution = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowVersion: z.number().int(),
    environment: z.enum(ENVIRONMENTS),
    eventId: z.string().openapi({ description: 'the Stripe event id' }),
    eventType: z.string(),
    objectId: z.string().nullable(),
    origin: z.enum(['event', 'retry', 'replay', 'test']),
    parentId: z.string().nullable().openapi({ description: 'the execution this one retries or replays' }),
    status: z.enum(EXECUTION_STATUSES),
    attempt: z.number().int(),
    error: z.string().nullable(),
    errorNodeId: z.string().nullable(),
    deadLettered: z.boolean(),
    runAt: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    steps: z.array(Step),
  })
  .openapi('Execution');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const Missing = { description: 'not found', content: { 'application/json': { schema: ErrorBody } } };

const routes = {
  list: createRoute({
    method: 'get',
    path: '/executions',
    tags: ['executions'],
    summary: 'Executions, newest first; the next page is in X-Next-Cursor',
    request: {
      query: z.object({
        workflowId: z.string().optional(),
        environment: z.enum(ENVIRONMENTS).optional(),
        status: z.enum(EXECUTION_STATUSES).optional(),
        eventId: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
    },
    responses: { 200: json(z.array(Execution), 'executions') },
  }),
  get: createRoute({
    method: 'get',
    path: '/executions/{id}',
    tags: ['executions'],
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(Execution, 'one execution with every step'), 404: Missing },
  }),
  retry: createRoute({
    method: 'post',
    path: '/executions/{id}/retry',
    tags: ['executions'],
    summary: 'Retry a failed execution from its failed step (a new execution, linked by parentId)',
    request: { params: z.object({ id: z.string() }) },
    responses: {
      201: json(Execution, 'the new execution'),
      404: Missing,
      409: { description: 'not failed', content: { 'application/json': { schema: ErrorBody } } },
    },
  }),
  replay: createRoute({
    method: 'post',
    path: '/environments/{env}/events/{eventId}/replay',
    tags: ['events'],
    summary: 'Run a stored event again, against its matching workflows or one workflow at a chosen version',
    request: {
      params: z.object({ env: EnvironmentParam, eventId: z.string() }),
      body: {
        required: false,
        content: {
          'application/json': {
            schema: z.object({ workflowId: z.string().optional(), version: z.number().int().min(1).optional() }),
          },
        },
      },
    },
    responses: { 201: json(z.array(Execution), 'the new executions'), 404: Missing },
  }),
};

export function executionsApi(executions: ExecutionService) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => mapError(error, c));
  return app
    .openapi(routes.list, async (c) => {
      const page = await executions.list(c.req.valid('query'));
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(page.items, 200);
    })
    .openapi(routes.get, async (c) => c.json(await executions.get(c.req.valid('param').id), 200))
    .openapi(routes.retry, async (c) => c.json(await executions.retry(c.req.valid('param').id), 201))
    .openapi(routes.replay, async (c) => {
      const { env, eventId } = c.req.valid('param');
      const body = (await c.req.json().catch(() => ({}))) as { workflowId?: string; version?: number };
      return c.json(await executions.replay(env, eventId, { workflowId: body.workflowId, version: body.version }), 201);
    });
}
