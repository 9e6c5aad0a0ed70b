// The workflow language only. Test doubles are `@switchyard/engine/testing`; sample events
// `@switchyard/engine/samples`, so that no process that runs workflows loads them.

export { createRegistry, defaultRegistry, registryCatalog } from './builtins.js';
export type { EnvName, EventContext, RunContext } from './context.js';
// Context and expressions
export { buildEventContext, ENV_NAMES, InvalidEventError, toEventContext } from './context.js';
export type { WorkflowDocument, WorkflowDocumentInput, WorkflowEdge, WorkflowNode, WorkflowNote } from './document.js';
// Document, validation, graph
export {
  NodeIdSchema,
  WorkflowDocumentSchema,
  WorkflowEdgeSchema,
  WorkflowNodeSchema,
  WorkflowNoteSchema,
} from './document.js';
export type { StepError } from './errors.js';
export {
  describeError,
  ExpressionError,
  isRetryable,
  LimitExceededError,
  NonRetriableError,
  parseRetryAfter,
  RetryAfterError,
  RetryableError,
  WorkflowFailError,
} from './errors.js';
export type { ExpressionLimits, ExpressionScope, ExpressionWalk, ParsedTemplate, UnclosedSpan } from './expressions.js';
export {
  checkTemplates,
  DEFAULT_EXPRESSION_LIMITS,
  evaluateExpression,
  hasTemplate,
  parseTemplate,
  renderTemplate,
  resolveTemplates,
  walkExpression,
} from './expressions.js';
export type { Graph } from './graph.js';
export { buildGraph, handleOf, reachableFrom } from './graph.js';
export type { RunLimits, RunOptions, RunResult, RunStatus, StepRecord, StepStatus } from './interpreter.js';
// Running
export { DEFAULT_RUN_LIMITS, runWorkflow } from './interpreter.js';
export { STRIPE_RESOURCES } from './nodes/actions/stripe.js';
export { LOOP_DONE, LOOP_EACH } from './nodes/logic/loop.js';
export { SwitchCaseSchema, SwitchConfigSchema } from './nodes/logic/switch.js';
export type * from './ports.js';
export {
  compileRegex,
  LinearRegExp,
  MAX_REGEX_PROGRAM_SIZE,
  MAX_REGEX_SEARCH_COST,
  RegexError,
  regexProblem,
} from './regex.js';
export type {
  AnyNodeDefinition,
  CatalogEntry,
  DraftConfig,
  FieldUi,
  NodeCategory,
  NodeDefinition,
  NodeResult,
  NodeRunArgs,
  NodeScope,
  NodeUi,
  Resolved,
} from './registry.js';
// Registry and nodes
export {
  briefValue,
  defineNode,
  draftOutputsOf,
  MAIN_OUTPUT,
  NODE_CATEGORIES,
  NodeRegistry,
  outputsOf,
} from './registry.js';
export type { RetryPolicy } from './retry.js';
export { backoffDelay, DEFAULT_RETRY, NO_RETRY, RetryPolicySchema, retryDelay } from './retry.js';
export { MAX_RETRY_AFTER_MS, parseHttpDate } from './retry-after.js';
export type { Redactor } from './secrets.js';
export {
  createRedactor,
  MIN_SECRET_LENGTH,
  MissingSecretError,
  maskSecretValue,
  referencedSecrets,
  SECRET_NAME,
} from './secrets.js';
export type { FamilyNodeType, TriggerFamily, TriggerNodeType } from './triggers/families.js';
export {
  ANY_EVENT_TRIGGER,
  actionOf,
  familyByNodeType,
  familyIncludes,
  familyOf,
  isTriggerType,
  TRIGGER_FAMILIES,
  TRIGGER_NODE_TYPES,
} from './triggers/families.js';
export type { EventTypeSuggestion } from './triggers/patterns.js';
export {
  catalogueWildcards,
  EVENT_TYPE_CATALOGUE,
  expandPatterns,
  isKnownEventType,
  isWildcard,
  patternMatches,
  patternProblem,
  searchEventTypes,
} from './triggers/patterns.js';
export type { StripeEventType } from './triggers/stripe-event-types.js';
export { STRIPE_EVENT_TYPES } from './triggers/stripe-event-types.js';
export type { AnyEventTriggerConfig, TriggerConfig } from './triggers/trigger-nodes.js';
export {
  AnyEventTriggerConfigSchema,
  anyEventTriggerNode,
  TRIGGER_NODES,
  TriggerConfigSchema,
  triggerEventTypes,
  triggerMatches,
  triggerMismatch,
  triggerOfSelection,
  triggerSelection,
} from './triggers/trigger-nodes.js';
export type { ValidateOptions, ValidationIssue, ValidationResult, ValidWorkflow } from './validate.js';
export { formatIssue, validateWorkflow } from './validate.js';
