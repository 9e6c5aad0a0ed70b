/** Shapes of the admin API (docs/admin-api.md plus the editor's calls). */
import type { WorkflowDocumentInput } from '@switchyard/engine';

export const ENVIRONMENTS = ['editor', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export type PublishTarget = Exclude<Environment, 'editor'>;

export interface Issue {
  path: string;
  message: string;
}

export interface Connection {
  environment: Environment;
  secretKey: string | null;
  mode: 'test' | 'live' | null;
  webhookEnabled: boolean;
  webhookPath: string | null;
  webhookSecret: string | null;
  webhookUrl: string | null;
  warnings: string[];
  lastEventReceivedAt: string | null;
  eventCounts: Record<string, number>;
  updatedAt: string | null;
  /** Until when the signing secret before the last rotation still verifies; null when none does. */
  previousWebhookSecretExpiresAt?: string | null;
  /** The Stripe webhook endpoint registered for this environment. */
  stripeEndpointId?: string | null;
}

export interface ConnectionInput {
  /** Omit to keep the stored key, null to clear it. */
  secretKey?: string | null;
  webhookEnabled: boolean;
  webhookPath: string;
  webhookSecret?: string | null;
}

/** POST /environments/{env}/stripe/register: the endpoint found (updated in place) or created. */
export interface StripeRegistration {
  endpointId: string;
  status: string;
  enabledEvents: string[];
  url: string;
  /** true when a new endpoint was created, false when the existing one was updated. */
  created: boolean;
  mode: 'test' | 'live';
  account: { id: string; name: string | null };
  warnings: string[];
}

/** GET /environments/{env}/stripe/register. */
export interface StripeRegistrationStatus {
  registered: boolean;
  endpointId: string | null;
  /** Stripe's status (enabled, disabled); null when not registered or Stripe could not be asked. */
  status: string | null;
  enabledEvents: string[];
  /** What the deployed workflows need now. */
  neededEvents: string[];
  /** The URL Stripe delivers to. */
  url: string | null;
  webhookUrl: string | null;
  registeredAt: string | null;
  lastEventReceivedAt: string | null;
  lastReconciledAt: string | null;
  stripeError: string | null;
}

export interface StripeDeregistration {
  endpointId: string;
  /** false when Stripe no longer had it. */
  deleted: boolean;
}

export interface ReconcileResult {
  scanned: number;
  ingested: number;
  alreadyHad: number;
}

export interface EventSummary {
  id: string;
  type: string;
  action: string;
  objectId: string | null;
  created: number;
  livemode: boolean;
  receivedAt: string;
  status: string;
}

export interface EventDetail extends EventSummary {
  payload: unknown;
}

export type Published = Record<'staging' | 'production', number | null>;

export interface WorkflowSummary {
  id: string;
  name: string;
  version: number;
  updatedAt: string;
  published: Published;
}

/** A workflow document as stored (docs/workflow-document.md). */
export type WorkflowDoc = WorkflowDocumentInput;

export interface WorkflowRecord {
  id: string;
  name: string;
  version: number;
  document: WorkflowDoc;
  warnings: Issue[];
  published: Published;
  updatedAt: string;
}

export interface WorkflowVersion {
  version: number;
  name: string;
  createdAt: string;
}

export type ExecutionStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface ExecutionStep {
  nodeId: string;
  nodeType?: string;
  handles?: string[];
  stepKey: string;
  status: StepStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Execution {
  id: string;
  workflowId: string;
  workflowVersion: number;
  environment: Environment;
  eventId: string;
  eventType: string;
  status: ExecutionStatus;
  attempt: number;
  error: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** How it started; retries and replays link the execution they repeat. */
  origin?: 'event' | 'retry' | 'replay' | 'test';
  parentId?: string | null;
  errorNodeId?: string | null;
  steps: ExecutionStep[];
}

export interface TableSummary {
  name: string;
  rowCount: number;
}

export interface TableRow {
  key: string;
  values: Record<string, unknown>;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
