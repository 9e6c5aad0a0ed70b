/** The admin API contract, shared by the server's OpenAPI routes and the editor's client. */
import { alertOperations } from './alerts.js';
import { connectionOperations } from './connections.js';
import { deploymentOperations } from './deployments.js';
import { eventOperations } from './events.js';
import { executionOperations } from './executions.js';
import { rejectionOperations } from './rejections.js';
import { secretOperations, smtpOperations } from './secrets.js';
import { sessionOperations } from './session.js';
import { stripeAccountOperations } from './stripe-account.js';
import { tableOperations } from './tables.js';
import { workflowOperations } from './workflows.js';

export * from './alerts.js';
export * from './connections.js';
export * from './deployments.js';
export * from './environment.js';
export * from './errors.js';
export * from './events.js';
export * from './executions.js';
export * from './operation.js';
export * from './rejections.js';
export { type RouteName, routes } from './routes.js';
export * from './secrets.js';
export * from './session.js';
export * from './stripe-account.js';
export * from './tables.js';
export * from './workflows.js';

/** Every admin call by name. */
export const operations = {
  ...sessionOperations,
  ...connectionOperations,
  ...eventOperations,
  ...executionOperations,
  ...workflowOperations,
  ...deploymentOperations,
  ...tableOperations,
  ...stripeAccountOperations,
  ...secretOperations,
  ...smtpOperations,
  ...rejectionOperations,
  ...alertOperations,
};
export type Operations = typeof operations;
