/**
 * The admin API's shapes, all from `@switchyard/contract` (the schemas the server's routes are built from), under
 * the names the editor uses. Nothing here is written by hand, so the editor cannot drift from the server. Values
 * come from the zod-free `routes` module; everything else is types only, so zod stays out of the first chunk.
 */
import type { Row, Step, Workflow, WorkflowDocument } from '@switchyard/contract';

export type {
  AlertDelivery,
  AlertSettings,
  AlertTestResult,
  BulkRetryAnswer,
  Connection,
  ConnectionInput,
  Deployment,
  Environment,
  ErrorCode,
  EventDetail,
  EventSummary,
  EventWorkflow,
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  Issue,
  Published,
  PublishTarget,
  ReconcileResult,
  Rejection,
  StepStatus,
  StripeDeregistration,
  StripeRegistration,
  StripeRegistrationStatus,
  TableSummary,
  WorkflowSummary,
  WorkflowVersion,
} from '@switchyard/contract';
export { BULK_RETRY_LIMIT, ENVIRONMENTS, EXECUTION_STATUSES } from '@switchyard/contract/routes';

/** A workflow document as stored (docs/workflow-document.md). */
export type WorkflowDoc = WorkflowDocument;
export type WorkflowRecord = Workflow;
export type ExecutionStep = Step;
export type TableRow = Row;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
