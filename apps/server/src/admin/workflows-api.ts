import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations, type WorkflowDocument } from '@switchyard/contract';
import type { ExecutionService } from '../executions/service.js';
import type { WorkflowService } from '../workflows/service.js';
import { mapDomainError, validationHook } from './errors.js';
import { contractRoute, errorAnswer } from './schemas.js';

const Invalid = errorAnswer('invalid_workflow: every issue names the node and the field');
const Missing = errorAnswer('not_found: no such workflow');
const Stale = errorAnswer(
  'version_conflict: If-Match is not the current ETag; nothing was saved, and `current` in the body is the workflow as stored',
);

const routes = {
  list: createRoute(contractRoute(operations.listWorkflows, { tags: ['workflows'], answered: 'all workflows' })),
  create: createRoute(
    contractRoute(operations.createWorkflow, {
      tags: ['workflows'],
      summary: 'Create a workflow (version 1)',
      answered: 'created',
      errors: { 400: Invalid },
    }),
  ),
  import: createRoute(
    contractRoute(operations.importWorkflow, {
      tags: ['workflows'],
      summary: 'Import an exported document (or duplicate one) as a new workflow, paused in the editor environment',
      answered: 'created',
      errors: { 400: Invalid },
    }),
  ),
  get: createRoute(
    contractRoute(operations.getWorkflow, {
      tags: ['workflows'],
      answered: 'the latest saved version and the draft, if any; the ETag header is `etag`',
      errors: { 404: Missing },
    }),
  ),
  update: createRoute(
    contractRoute(operations.updateWorkflow, {
      tags: ['workflows'],
      summary: 'Save a new version (the editor environment runs it); honours If-Match',
      answered: 'saved as a new version; the draft is cleared',
      errors: { 400: Invalid, 404: Missing, 412: Stale },
    }),
  ),
  saveDraft: createRoute(
    contractRoute(operations.saveDraft, {
      tags: ['workflows'],
      summary: 'Autosave the document as the draft: no version, nothing runs it; honours If-Match',
      answered: 'the draft is stored',
      errors: { 400: Invalid, 404: Missing, 412: Stale },
    }),
  ),
  delete: createRoute(
    contractRoute(operations.deleteWorkflow, { tags: ['workflows'], answered: 'deleted', errors: { 404: Missing } }),
  ),
  export: createRoute(
    contractRoute(operations.exportWorkflow, {
      tags: ['workflows'],
      answered: 'the latest document, ready to import',
      errors: { 404: Missing },
    }),
  ),
  versions: createRoute(
    contractRoute(operations.listVersions, {
      tags: ['workflows'],
      answered: 'every saved version, newest first',
      errors: { 404: Missing },
    }),
  ),
  version: createRoute(
    contractRoute(operations.getVersion, { tags: ['workflows'], answered: 'one version', errors: { 404: Missing } }),
  ),
  publish: createRoute(
    contractRoute(operations.publishWorkflow, {
      tags: ['workflows'],
      summary:
        'Publish a version to staging or production; publishing an older one is a rollback. Without a version, the latest (a pending draft is saved as a version first)',
      answered: 'published',
      errors: { 400: errorAnswer('invalid_request'), 404: Missing },
    }),
  ),
  testRun: createRoute(
    contractRoute(operations.testRun, {
      tags: ['workflows'],
      summary: 'Run the latest saved version in the editor environment on a sample or stored event',
      answered: 'queued',
      errors: { 400: errorAnswer('invalid_event: not a Stripe event'), 404: Missing },
    }),
  ),
};

/** Typed as a plain OpenAPIHono: the handlers are checked against the contract here, and the merged route types are too large for `app.route`. */
export function workflowsApi(workflows: WorkflowService, executions: ExecutionService): OpenAPIHono {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => mapDomainError(error, c));
  return app
    .openapi(routes.list, async (c) => c.json(await workflows.list(), 200))
    .openapi(routes.create, async (c) => c.json(await workflows.create(c.req.valid('json')), 201))
    .openapi(routes.import, async (c) => c.json(await workflows.create(c.req.valid('json'), { paused: true }), 201))
    .openapi(routes.get, async (c) => {
      const found = await workflows.get(c.req.valid('param').id);
      c.header('ETag', found.etag);
      return c.json(found, 200);
    })
    .openapi(routes.update, async (c) => {
      const saved = await workflows.update(c.req.valid('param').id, c.req.valid('json'), {
        ifMatch: c.req.header('If-Match'),
      });
      c.header('ETag', saved.etag);
      return c.json(saved, 200);
    })
    .openapi(routes.saveDraft, async (c) => {
      const saved = await workflows.saveDraft(c.req.valid('param').id, c.req.valid('json'), {
        ifMatch: c.req.header('If-Match'),
      });
      c.header('ETag', saved.etag);
      return c.json(saved, 200);
    })
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
      return c.json(document as WorkflowDocument, 200);
    })
    .openapi(routes.versions, async (c) => c.json(await workflows.versions(c.req.valid('param').id), 200))
    .openapi(routes.version, async (c) => {
      const { id, version } = c.req.valid('param');
      const found = await workflows.version(id, version);
      return c.json({ version: found.version, document: found.document as WorkflowDocument }, 200);
    })
    .openapi(routes.publish, async (c) => {
      const { environment, version } = c.req.valid('json');
      const published = await workflows.publish(c.req.valid('param').id, environment, version);
      return c.json({ environment, version: published.version }, 200);
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
