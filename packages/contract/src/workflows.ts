import type { WorkflowDocumentInput } from '@switchyard/engine';
import { z } from 'zod';
import { PublishTarget } from './environment.js';
import { Issue } from './errors.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

/**
 * A workflow document (the engine's WorkflowDocumentSchema). The API takes any object here and the server's
 * validation answers `invalid_workflow` with issues naming node and field, so the schema stays loose; answers are
 * documents the server validated, hence the engine's type.
 */
export const WorkflowDocument = z.record(z.string(), z.unknown()).meta({
  id: 'WorkflowDocument',
  description:
    'A workflow document (docs/workflow-document.md): { name, nodes: [{ id, type, config, position? }], edges: [{ id, source, sourceHandle?, target }] }',
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

export const Workflow = WorkflowSummary.extend({
  document: WorkflowDocument.meta({ description: 'the latest saved version' }),
  warnings: z.array(Issue),
  draft: WorkflowDocument.nullable().meta({
    description: 'the autosaved document not yet saved as a version; null when there is none. Nothing runs it.',
  }),
  etag: z.string().meta({
    description:
      'also the ETag header: "<latest version>.<revision>", the revision counting every draft or version write; send it as If-Match',
  }),
}).meta({ id: 'Workflow' });
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

/** A write whose If-Match is stale answers 412 with this body: nothing was saved, `current` is what the server has. */
export const VersionConflict = z
  .object({ error: z.literal('version_conflict'), message: z.string(), current: Workflow })
  .meta({ id: 'VersionConflict' });
export type VersionConflict = z.infer<typeof VersionConflict>;

export const workflowOperations = {
  listWorkflows: operation({ ...routes.listWorkflows, answer: z.array(WorkflowSummary) }),
  createWorkflow: operation({ ...routes.createWorkflow, body: WorkflowDocument, answer: Workflow }),
  importWorkflow: operation({ ...routes.importWorkflow, body: WorkflowDocument, answer: Workflow }),
  getWorkflow: operation({ ...routes.getWorkflow, params: IdParams, answer: Workflow }),
  updateWorkflow: operation({ ...routes.updateWorkflow, params: IdParams, body: WorkflowDocument, answer: Workflow }),
  saveDraft: operation({ ...routes.saveDraft, params: IdParams, body: WorkflowDocument, answer: Workflow }),
  deleteWorkflow: operation({ ...routes.deleteWorkflow, params: IdParams, answer: null }),
  exportWorkflow: operation({ ...routes.exportWorkflow, params: IdParams, answer: WorkflowDocument }),
  listVersions: operation({ ...routes.listVersions, params: IdParams, answer: z.array(WorkflowVersion) }),
  getVersion: operation({
    ...routes.getVersion,
    params: z.object({ id: z.string(), version: z.coerce.number().int().min(1) }),
    answer: z.object({ version: z.number().int(), document: WorkflowDocument }),
  }),
  publishWorkflow: operation({ ...routes.publishWorkflow, params: IdParams, body: PublishInput, answer: Publication }),
  testRun: operation({
    ...routes.testRun,
    params: IdParams,
    body: TestRunInput,
    answer: z.object({ executionId: z.string() }),
  }),
};
