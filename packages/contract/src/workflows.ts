import type { WorkflowDocumentInput } from '@switchyard/engine';
import { z } from 'zod';
import { PublishTarget } from './environment.js';
import { Issue } from './errors.js';
import { operation } from './operation.js';

/**
 * A workflow document (the engine's WorkflowDocumentSchema). The API takes any object here and the server's
 * validation answers `invalid_workflow` with issues naming node and field, so the schema stays loose; answers are
 * documents the server validated, hence the engine's type.
 */
export const WorkflowDocument = z.record(z.string(), z.unknown()).meta({
  id: 'WorkflowDocument',
  description:
    'A workflow document: { name, nodes: [{ id, type, config, position? }], edges: [{ id, source, sourceHandle?, target }] }',
}) as unknown as z.ZodType<WorkflowDocumentInput, WorkflowDocumentInput>;
export type WorkflowDocument = WorkflowDocumentInput;

export const Published = z.object({ staging: z.number().int().nullable(), production: z.number().int().nullable() });
export type Published = z.infer<typeof Published>;

export const WorkflowSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    triggerType: z.string().nullable(),
    updatedAt: z.string(),
    published: Published,
  })
  .meta({ id: 'WorkflowSummary' });
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

export const Workflow = WorkflowSummary.extend({ document: WorkflowDocument, warnings: z.array(Issue) }).meta({
  id: 'Workflow',
});
export type Workflow = z.infer<typeof Workflow>;

export const WorkflowVersion = z.object({ version: z.number().int(), name: z.string(), createdAt: z.string() });
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;

export const PublishInput = z.object({ environment: PublishTarget, version: z.number().int().min(1).optional() });
export const Publication = z.object({ environment: PublishTarget, version: z.number().int() });

export const TestRunInput = z.union([
  z.object({ event: z.record(z.string(), z.unknown()) }),
  z.object({ eventId: z.string() }),
]);
export type TestRunInput = z.infer<typeof TestRunInput>;

const IdParams = z.object({ id: z.string() });

export const workflowOperations = {
  listWorkflows: operation({ method: 'get', path: '/workflows', status: 200, answer: z.array(WorkflowSummary) }),
  createWorkflow: operation({
    method: 'post',
    path: '/workflows',
    body: WorkflowDocument,
    status: 201,
    answer: Workflow,
  }),
  importWorkflow: operation({
    method: 'post',
    path: '/workflows/import',
    body: WorkflowDocument,
    status: 201,
    answer: Workflow,
  }),
  getWorkflow: operation({ method: 'get', path: '/workflows/{id}', params: IdParams, status: 200, answer: Workflow }),
  updateWorkflow: operation({
    method: 'put',
    path: '/workflows/{id}',
    params: IdParams,
    body: WorkflowDocument,
    status: 200,
    answer: Workflow,
  }),
  deleteWorkflow: operation({ method: 'delete', path: '/workflows/{id}', params: IdParams, status: 204, answer: null }),
  exportWorkflow: operation({
    method: 'get',
    path: '/workflows/{id}/export',
    params: IdParams,
    status: 200,
    answer: WorkflowDocument,
  }),
  listVersions: operation({
    method: 'get',
    path: '/workflows/{id}/versions',
    params: IdParams,
    status: 200,
    answer: z.array(WorkflowVersion),
  }),
  getVersion: operation({
    method: 'get',
    path: '/workflows/{id}/versions/{version}',
    params: z.object({ id: z.string(), version: z.coerce.number().int().min(1) }),
    status: 200,
    answer: z.object({ version: z.number().int(), document: WorkflowDocument }),
  }),
  publishWorkflow: operation({
    method: 'post',
    path: '/workflows/{id}/publish',
    params: IdParams,
    body: PublishInput,
    status: 200,
    answer: Publication,
  }),
  testRun: operation({
    method: 'post',
    path: '/workflows/{id}/test-run',
    params: IdParams,
    body: TestRunInput,
    status: 202,
    answer: z.object({ executionId: z.string() }),
  }),
};
