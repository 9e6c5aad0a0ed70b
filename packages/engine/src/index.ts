// Triggers
export {
  TRIGGER_FAMILIES,
  TRIGGER_NODE_TYPES,
  familyOf,
  familyByNodeType,
  isTriggerType,
  actionOf,
} from './triggers/families.js';
export type { TriggerFamily, TriggerNodeType } from './triggers/families.js';
export { TriggerConfigSchema, TRIGGER_NODES, triggerMatches, triggerEventTypes } from './triggers/trigger-nodes.js';
export type { TriggerConfig } from './triggers/trigger-nodes.js';
export { sampleEvents, sampleEvent, samplesForTrigger } from './triggers/samples.js';

// Document, validation, graph
export { WorkflowDocumentSchema, WorkflowNodeSchema, WorkflowEdgeSchema, NodeIdSchema } from './document.js';
export type { WorkflowDocument, WorkflowDocumentInput, WorkflowNode, WorkflowEdge } from './document.js';
export { validateWorkflow, formatIssue } from './validate.js';
export type { ValidationIssue, ValidationResult, ValidWorkflow, ValidateOptions } from './validate.js';
export { buildGraph, handleOf, reachableFrom } from './graph.js';
export type { Graph } from './graph.js';

// Registry and nodes
export { defineNode, NodeRegistry, MAIN_OUTPUT, outputsOf } from './registry.js';
export type { NodeDefinition, AnyNodeDefinition, NodeCategory, NodeRunArgs, NodeResult, CatalogEntry, Resolved } from './registry.js';
export { createRegistry, defaultRegistry, registryCatalog } from './builtins.js';
export { SwitchConfigSchema, SwitchCaseSchema } from './nodes/logic/switch.js';
export { LOOP_EACH, LOOP_DONE } from './nodes/logic/loop.js';
export { STRIPE_RESOURCES } from './nodes/actions/stripe.js';

// Context and expressions
export { buildEventContext, toEventContext, InvalidEventError, ENV_NAMES } from './context.js';
export type { EventContext, RunContext, EnvName } from './context.js';
export {
  renderTemplate,
  resolveTemplates,
  evaluateExpression,
  parseTemplate,
  hasTemplate,
  checkTemplates,
  DEFAULT_EXPRESSION_LIMITS,
} from './expressions.js';
export type { ExpressionLimits, ExpressionScope, ParsedTemplate } from './expressions.js';
export { unsafeRegexReason, compileSafeRegex, UnsafeRegexError } from './safe-regex.js';

// Running
export { runWorkflow, DEFAULT_RUN_LIMITS } from './interpreter.js';
export type { RunOptions, RunResult, RunStatus, RunLimits, StepRecord, StepStatus } from './interpreter.js';
export {
  RetryableError,
  RetryAfterError,
  NonRetriableError,
  ExpressionError,
  LimitExceededError,
  WorkflowFailError,
  isRetryable,
  parseRetryAfter,
  describeError,
} from './errors.js';
export type { StepError } from './errors.js';
export { RetryPolicySchema, DEFAULT_RETRY, NO_RETRY, backoffDelay } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type * from './ports.js';

// In-memory ports (pure) for tests and editor previews
export { createMemoryPorts } from './testing/memory-ports.js';
export type { MemoryPorts, MemoryPortsOptions } from './testing/memory-ports.js';
