/**
 * The admin API's shapes, all from `@switchyard/contract` (the schemas the server's routes are built from), under
 * the names the editor uses. Nothing here is written by hand, so the editor cannot drift from the server.
 */
import type { Row, Step, Workflow, WorkflowDocument } from '@switchyard/contract';

export {
  type Connection,
  type ConnectionInput,
  ENVIRONMENTS,
  type Environment,
  type ErrorCode,
  type EventDetail,
  type EventSummary,
  EXECUTION_STATUSES,
  type Execution,
  type ExecutionStatus,
  type Issue,
  type Published,
  type PublishTarget,
  type ReconcileResult,
  type StepStatus,
  type StripeDeregistration,
  type StripeRegistration,
  type StripeRegistrationStatus,
  type TableSummary,
  type WorkflowSummary,
  type WorkflowVersion,
} from '@switchyard/contract';

/** A workflow document as stored (docs/workflow-document.md). */
export type WorkflowDoc = WorkflowDocument;
export type WorkflowRecord = Workflow;
export type ExecutionStep = Step;
export type TableRow = Row;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
