import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { EXECUTION_STATUSES, type ExecutionStatus, routes } from './routes.js';

export { EXECUTION_STATUSES, type ExecutionStatus };
export const STEP_STATUSES = ['succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const EXECUTION_ORIGINS = ['event', 'retry', 'replay', 'test'] as const;

export const Step = z
  .object({
    nodeId: z.string(),
    stepKey: z.string(),
    nodeType: z.string(),
    status: z.enum(STEP_STATUSES),
    input: z.unknown(),
    output: z.unknown(),
    handles: z.array(z.string()),
    error: z.string().nullable(),
    errorDetail: z.unknown(),
    attempt: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .meta({ id: 'Step' });
export type Step = z.infer<typeof Step>;

export const Execution = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowVersion: z.number().int(),
    environment: Environment,
    eventId: z.string().meta({ description: 'the Stripe event id' }),
    eventType: z.string(),
    objectId: z.string().nullable(),
    origin: z.enum(EXECUTION_ORIGINS),
    parentId: z.string().nullable().meta({ description: 'the execution this one retries or replays' }),
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
  .meta({ id: 'Execution' });
export type Execution = z.infer<typeof Execution>;

export const ReplayInput = z.object({
  workflowId: z.string().optional(),
  version: z.number().int().min(1).optional(),
});
export type ReplayInput = z.infer<typeof ReplayInput>;

export const RETRY_VERSIONS = ['same', 'latest'] as const;
export const RetryInput = z.object({
  version: z.enum(RETRY_VERSIONS).default('same').meta({
    description: "'same': the version the failed run ran; 'latest': the workflow's latest saved version",
  }),
});
export type RetryInput = z.input<typeof RetryInput>;

const IdParams = z.object({ id: z.string() });

export const executionOperations = {
  listExecutions: operation({
    ...routes.listExecutions,
    query: z.object({
      workflowId: z.string().optional(),
      environment: Environment.optional(),
      status: z.enum(EXECUTION_STATUSES).optional(),
      eventId: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().optional(),
    }),
    answer: z.array(Execution),
  }),
  getExecution: operation({ ...routes.getExecution, params: IdParams, answer: Execution }),
  retryExecution: operation({ ...routes.retryExecution, params: IdParams, body: RetryInput, answer: Execution }),
  /** Every new execution, with its own `id`: an empty list when no workflow matches the event. */
  replayEvent: operation({
    ...routes.replayEvent,
    params: z.object({ env: Environment, eventId: z.string() }),
    body: ReplayInput,
    answer: z.array(Execution),
  }),
};
