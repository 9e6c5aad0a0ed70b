import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { BULK_RETRY_LIMIT, EXECUTION_STATUSES, type ExecutionStatus, routes } from './routes.js';

export { BULK_RETRY_LIMIT, EXECUTION_STATUSES, type ExecutionStatus };
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
    deadLettered: z
      .boolean()
      .meta({ description: 'the run failed with its retries spent (it may since have been retried)' }),
    retriedAt: z.string().nullable().optional().meta({
      description: 'when a retry of this failed run was created; null while it waits in the dead-letter view',
    }),
    runAt: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    steps: z.array(Step),
  })
  .meta({ id: 'Execution' });
export type Execution = z.infer<typeof Execution>;

export const StepSummary = z.object({ nodeId: z.string(), status: z.enum(STEP_STATUSES) }).meta({ id: 'StepSummary' });
export type StepSummary = z.infer<typeof StepSummary>;

/** A search hit: the execution without its step payloads (inputs, outputs, errors), which only the detail carries. */
export const ExecutionSummary = Execution.omit({ steps: true })
  .extend({ steps: z.array(StepSummary).meta({ description: 'each step recorded, in order: node and status only' }) })
  .meta({ id: 'ExecutionSummary' });
export type ExecutionSummary = z.infer<typeof ExecutionSummary>;

const Instant = z.iso.datetime({ offset: true, message: 'a time is an ISO 8601 date-time, e.g. 2026-12-01T10:00:00Z' });

/** The filters the search and "retry all matching" share. */
export const ExecutionFilter = z.object({
  workflowId: z.string().optional(),
  environment: Environment.optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  type: z.string().max(255).optional().meta({ description: 'the exact Stripe event type, e.g. invoice.paid' }),
  objectId: z
    .string()
    .max(255)
    .optional()
    .meta({ description: "the Stripe object's id (data.object.id), e.g. cus_… or in_…" }),
  from: Instant.optional().meta({ description: 'created at or after this time' }),
  to: Instant.optional().meta({ description: 'created before this time' }),
  deadLetter: z
    .stringbool()
    .optional()
    .meta({ description: 'true: only the dead-letter view, failed runs whose retries are spent and not retried yet' }),
});
export type ExecutionFilter = z.input<typeof ExecutionFilter>;
/** A filter as the server holds it once parsed (`deadLetter` a boolean). */
export type ParsedExecutionFilter = z.output<typeof ExecutionFilter>;

/** An execution id as the API spells it: the decimal digits of a bigint. */
const ExecutionId = z.string().regex(/^\d{1,18}$/, 'an execution id is a number, e.g. "42"');

export const BULK_RETRY_SKIP_REASONS = [
  'not found',
  'not failed',
  'already retried',
  'workflow deleted',
  'being retried',
] as const;
export type BulkRetrySkipReason = (typeof BULK_RETRY_SKIP_REASONS)[number];

export const BulkRetryInput = z
  .object({
    ids: z
      .array(ExecutionId)
      .min(1)
      .max(BULK_RETRY_LIMIT, `at most ${BULK_RETRY_LIMIT} ids per call`)
      .optional()
      .meta({ description: 'these failed executions' }),
    filter: ExecutionFilter.omit({ status: true, deadLetter: true })
      .extend({
        status: z
          .literal('failed', 'only failed executions can be retried')
          .optional()
          .meta({ description: 'only failed runs are ever retried' }),
      })
      .optional()
      .meta({
        description:
          'or every failed, not yet retried execution matching this, newest first; without `to`, the server bounds it by its own clock and answers the bound as `until`: pass that as `to` on the next calls, so retries failing again meanwhile are not taken up by them',
      }),
    version: z.enum(['same', 'latest']).default('same'),
  })
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), {
    message: 'give either ids or a filter',
    path: ['ids'],
  })
  .meta({ id: 'BulkRetryInput' });
export type BulkRetryInput = z.input<typeof BulkRetryInput>;

export const BulkRetryAnswer = z
  .object({
    retried: z.number().int().meta({ description: 'failed runs retried by this call, each at most once ever' }),
    remaining: z.number().int().meta({
      description: 'failed, not yet retried runs still matching the filter (0 for ids): call again until 0',
    }),
    executions: z
      .array(z.object({ id: z.string(), parentId: z.string() }))
      .meta({ description: 'the new executions and the failed run each retries' }),
    skipped: z.array(z.object({ id: z.string(), reason: z.enum(BULK_RETRY_SKIP_REASONS) })).meta({
      description:
        "each requested id not retried by this call and why ('being retried': a concurrent call holds it); empty for a filter",
    }),
    until: z.string().optional().meta({
      description:
        "a filter's upper bound on created times: its `to`, or the database's time at this call when it had none; send it as `to` on the next calls",
    }),
  })
  .meta({ id: 'BulkRetryAnswer' });
export type BulkRetryAnswer = z.infer<typeof BulkRetryAnswer>;

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

export const ExecutionSearch = ExecutionFilter.extend({
  eventId: z.string().optional().meta({ description: 'the Stripe event id' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().meta({ description: 'the X-Next-Cursor of the previous page' }),
});
/** A search as the server holds it once parsed. */
export type ParsedExecutionSearch = z.output<typeof ExecutionSearch>;

export const executionOperations = {
  listExecutions: operation({
    ...routes.listExecutions,
    query: ExecutionSearch,
    answer: z.array(ExecutionSummary),
  }),
  getExecution: operation({ ...routes.getExecution, params: IdParams, answer: Execution }),
  retryExecution: operation({ ...routes.retryExecution, params: IdParams, body: RetryInput, answer: Execution }),
  retryExecutions: operation({ ...routes.retryExecutions, body: BulkRetryInput, answer: BulkRetryAnswer }),
  /** Every new execution, with its own `id`: an empty list when no workflow matches the event. */
  replayEvent: operation({
    ...routes.replayEvent,
    params: z.object({ env: Environment, eventId: z.string() }),
    body: ReplayInput,
    answer: z.array(Execution),
  }),
};
