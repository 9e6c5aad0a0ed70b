/**
 * Where each admin call lives: method, path below /admin/api, success status. No zod here, so the editor's first
 * chunk can import it (`@switchyard/contract/routes`); `operations` adds the schemas to each of these.
 */
export const routes = {
  getSession: { method: 'get', path: '/session', status: 200 },
  login: { method: 'post', path: '/session', status: 200 },
  logout: { method: 'delete', path: '/session', status: 200 },
  getConnection: { method: 'get', path: '/environments/{env}/stripe', status: 200 },
  putConnection: { method: 'put', path: '/environments/{env}/stripe', status: 200 },
  listEvents: { method: 'get', path: '/environments/{env}/events', status: 200, paged: true },
  getEvent: { method: 'get', path: '/environments/{env}/events/{eventId}', status: 200 },
  listExecutions: { method: 'get', path: '/executions', status: 200, paged: true },
  getExecution: { method: 'get', path: '/executions/{id}', status: 200 },
  retryExecution: { method: 'post', path: '/executions/{id}/retry', status: 201 },
  retryExecutions: { method: 'post', path: '/executions/retry', status: 200 },
  replayEvent: { method: 'post', path: '/environments/{env}/events/{eventId}/replay', status: 201 },
  listWorkflows: { method: 'get', path: '/workflows', status: 200 },
  createWorkflow: { method: 'post', path: '/workflows', status: 201 },
  importWorkflow: { method: 'post', path: '/workflows/import', status: 201 },
  getWorkflow: { method: 'get', path: '/workflows/{id}', status: 200 },
  updateWorkflow: { method: 'put', path: '/workflows/{id}', status: 200 },
  saveDraft: { method: 'put', path: '/workflows/{id}/draft', status: 200 },
  deleteWorkflow: { method: 'delete', path: '/workflows/{id}', status: 204 },
  exportWorkflow: { method: 'get', path: '/workflows/{id}/export', status: 200 },
  listVersions: { method: 'get', path: '/workflows/{id}/versions', status: 200 },
  getVersion: { method: 'get', path: '/workflows/{id}/versions/{version}', status: 200 },
  publishWorkflow: { method: 'post', path: '/workflows/{id}/publish', status: 200 },
  testRun: { method: 'post', path: '/workflows/{id}/test-run', status: 202 },
  listDeployments: { method: 'get', path: '/deployments', status: 200 },
  setDeployment: { method: 'patch', path: '/workflows/{id}/deployments/{env}', status: 200 },
  listTables: { method: 'get', path: '/environments/{env}/tables', status: 200 },
  listRows: { method: 'get', path: '/environments/{env}/tables/{table}/rows', status: 200, paged: true },
  putRow: { method: 'put', path: '/environments/{env}/tables/{table}/rows/{key}', status: 200 },
  deleteRow: { method: 'delete', path: '/environments/{env}/tables/{table}/rows/{key}', status: 204 },
  exportTable: { method: 'get', path: '/environments/{env}/tables/{table}/export.csv', status: 200 },
  registerStripe: { method: 'post', path: '/environments/{env}/stripe/register', status: 200 },
  stripeRegistration: { method: 'get', path: '/environments/{env}/stripe/register', status: 200 },
  deregisterStripe: { method: 'delete', path: '/environments/{env}/stripe/register', status: 200 },
  reconcileStripe: { method: 'post', path: '/environments/{env}/stripe/reconcile', status: 200 },
  listSecrets: { method: 'get', path: '/environments/{env}/secrets', status: 200 },
  putSecret: { method: 'put', path: '/environments/{env}/secrets/{name}', status: 200 },
  deleteSecret: { method: 'delete', path: '/environments/{env}/secrets/{name}', status: 204 },
  listVars: { method: 'get', path: '/environments/{env}/vars', status: 200 },
  putVar: { method: 'put', path: '/environments/{env}/vars/{name}', status: 200 },
  deleteVar: { method: 'delete', path: '/environments/{env}/vars/{name}', status: 204 },
  getSmtp: { method: 'get', path: '/environments/{env}/smtp', status: 200 },
  putSmtp: { method: 'put', path: '/environments/{env}/smtp', status: 200 },
  testSmtp: { method: 'post', path: '/environments/{env}/smtp/test', status: 200 },
  listRejections: { method: 'get', path: '/environments/{env}/rejections', status: 200 },
  getAlerts: { method: 'get', path: '/environments/{env}/alerts', status: 200 },
  putAlerts: { method: 'put', path: '/environments/{env}/alerts', status: 200 },
  testAlert: { method: 'post', path: '/environments/{env}/alerts/test', status: 200 },
} as const;

export type RouteName = keyof typeof routes;

export { ENV_NAMES as ENVIRONMENTS, type EnvName as Environment } from '@switchyard/engine/environments';

export const EXECUTION_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Most failed runs one bulk retry call (POST /executions/retry) retries; its answer says how many remain. */
export const BULK_RETRY_LIMIT = 100;
