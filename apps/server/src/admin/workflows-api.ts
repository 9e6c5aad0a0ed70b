import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ConflictError, type ExecutionService, InvalidEventError } from '../executions/service.js';
import { InvalidWorkflowError, NotFoundError, type WorkflowService } from '../workflows/service.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';

const WorkflowDocument = z.record(z.string(), z.unknown()).openapi('WorkflowDocument', {
  description:
    'A workflow document (docs/workflow-document.md): { name, nodes: [{ id, type, config, position? }], edges: [{ id, source, sourceHandle?, target }] }',
});

const Published = z.object({ staging: z.number().int().nullable(), production: z.number().int().nullable() });
const WorkflowSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    triggerType: z.string().nullable(),
    updatedAt: z.string(),
    published: Published,
  })
  .openapi('WorkflowSummary');
const Issue = z.object({ path: z.string(), message: z.string() });
const Workflow = WorkflowSummary.extend({ document: WorkflowDocument, warnings: z.array(Issue) }).openapi('Workflow');
const Invalid = {
  description: 'invalid workflow: every issue names the node and the field',
  content: { 'application/json': { schema: ErrorBody } },
};
const Missing = { description: 'no such workflow', content: { 'application/json': { schema: ErrorBody } } };
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const idParam = z.object({ id: z.string() });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/workflows',
    tags: ['workflows'],
    responses: { 200: json(z.array(WorkflowSummary), 'all workflows') },
  }),
  create: createRoute({
    method: 'post',
    path: '/workflows',
    tags: ['workflows'],
    summary: 'Create a workflow (version 1)',
    request: { body: { required: true, content: { 'application/json': { schema: WorkflowDocument } } } },
    responses: { 201: json(Workflow, 'created'), 400: Invalid },
  }),
  import: createRoute({
    method: 'post',
    path: '/workflows/import',
    tags: ['workflows'],
    summary: 'Import an exported document as a new workflow',
    request: { body: { required: true, content: { 'application/json': { schema: WorkflowDocument } } } },
    responses: { 201: json(Workflow, 'created'), 400: Invalid },
  }),
  get: createRoute({
    method: 'get',
    path: '/workflows/{id}',
    tags: ['workflows'],
    request: { params: idParam },
    responses: { 200: json(Workflow, 'the latest version'), 404: Missing },
  }),
  update: createRoute({
    method: 'put',
    path: '/workflows/{id}',
    tags: ['workflows'],
    summary: 'Save a new version',
    request: {
      params: idParam,
      body: { required: true, content: { 'application/json': { schema: WorkflowDocument } } },
    },
    responses: { 200: json(Workflow, 'saved as a new version'), 400: Invalid, 404: Missing },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/workflows/{id}',
    tags: ['workflows'],
    request: { params: idParam },
    responses: { 204: { description: 'deleted' }, 404: Missing },
  }),
  export: createRoute({
    method: 'get',
    path: '/workflows/{id}/export',
    tags: ['workflows'],
    request: { params: idParam },
    responses: { 200: json(WorkflowDocument, 'the latest document, ready to import'), 404: Missing },
  }),
  versions: createRoute({
    method: 'get',
    path: '/workflows/{id}/versions',
    tags: ['workflows'],
    request: { params: idParam },
    responses: {
      200: json(
        z.array(z.object({ version: z.number().int(), name: z.string(), createdAt: z.string() })),
        'every saved version, newest first',
      ),
      404: Missing,
    },
  }),
  version: createRoute({
    method: 'get',
    path: '/workflows/{id}/versions/{version}',
    tags: ['workflows'],
    request: { params: z.object({ id: z.string(), version: z.coerce.number().int().min(1) }) },
    responses: {
      200: json(z.object({ version: z.number().int(), document: WorkflowDocument }), 'one version'),
      404: Missing,
    },
  }),
  publish: createRoute({
    method: 'post',
    path: '/workflows/{id}/publish',
    tags: ['workflows'],
    summary: 'Publish a version (default: latest) to staging or production; publishing an older one is a rollback',
    request: {
      params: idParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              environment: z.enum(['staging', 'production']),
              version: z.number().int().min(1).optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: json(z.object({ environment: z.string(), version: z.number().int() }), 'published'),
      404: Missing,
    },
  }),
  testRun: createRoute({
    method: 'post',
    path: '/workflows/{id}/test-run',
    tags: ['workflows'],
    summary: 'Run the latest saved version in the editor environment on a sample or stored event',
    request: {
      params: idParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.union([
              z.object({ event: z.record(z.string(), z.unknown()) }),
              z.object({ eventId: z.string() }),
            ]),
          },
        },
      },
    },
    responses: {
      202: json(z.object({ executionId: z.string() }), 'queued'),
      400: { description: 'not a Stripe event', content: { 'application/json': { schema: ErrorBody } } },
      404: Missing,
    },
  }),
};

export function workflowsApi(workflows: WorkflowService, executions: ExecutionService) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => mapError(error, c));
  return app
    .openapi(routes.list, async (c) => c.json(await workflows.list(), 200))
    .openapi(routes.create, async (c) => c.json(await workflows.create(c.req.valid('json')), 201))
    .openapi(routes.import, async (c) => c.json(await workflows.create(c.req.valid('json')), 201))
    .openapi(routes.get, async (c) => c.json(await workflows.get(c.req.valid('param').id), 200))
    .openapi(routes.update, async (c) =>
      c.json(await workflows.update(c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(routes.delete, async (c) => {
      await workflows.delete(c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(routes.export, async (c) => {
      const { id } = c.req.valid('param');
      const { document, name } = await workflows.get(id);
      c.header(
        'Content-Disposition',
        `attachment; filename="${name.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase() || 'workflow'}.json"`,
      );
      return c.json(document as Record<string, unknown>, 200);
    })
    .openapi(routes.versions, async (c) => c.json(await workflows.versions(c.req.valid('param').id), 200))
    .openapi(routes.version, async (c) => {
      const { id, version } = c.req.valid('param');
      const found = await workflows.version(id, version);
      return c.json({ version: found.version, document: found.document as Record<string, unknown> }, 200);
    })
    .openapi(routes.publish, async (c) => {
      const { environment, version } = c.req.valid('json');
      return c.json(await workflows.publish(c.req.valid('param').id, environment, version), 200);
    })
    .openapi(routes.testRun, async (c) => {
      const { id } = c.req.valid('param');
      const { version } = await workflows.get(id);
      const body = c.req.valid('json');
      const execution = await executions.testRun(
        id,
        version,
        'eventId' in body ? { eventId: body.eventId } : { event: body.event },
      );
      return c.json({ executionId: execution.id }, 202);
    });
}

/** The domain errors every admin sub-app shares, as HTTP answers. */
export function mapError(error: Error, c: Context) {
  if (error instanceof InvalidWorkflowError) {
    return c.json(
      {
        error: 'invalid_workflow',
        message: error.message,
        issues: error.issues.map(({ path, message }) => ({ path, message })),
      },
      400,
    );
  }
  if (error instanceof InvalidEventError) return c.json({ error: 'invalid_event', message: error.message }, 400);
  if (error instanceof NotFoundError) return c.json({ error: 'not_found', message: error.message }, 404);
  if (error instanceof ConflictError) return c.json({ error: 'conflict', message: error.message }, 409);
  throw error;
}
