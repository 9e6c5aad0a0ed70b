/** The admin API over fetch: same-origin cookie session, JSON in and out, one error type. */
import type {
  Connection,
  ConnectionInput,
  Environment,
  EventDetail,
  EventSummary,
  Execution,
  Issue,
  Page,
  PublishTarget,
  ReconcileResult,
  StripeDeregistration,
  StripeRegistration,
  StripeRegistrationStatus,
  TableRow,
  TableSummary,
  WorkflowDoc,
  WorkflowRecord,
  WorkflowSummary,
  WorkflowVersion,
} from './types.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever a call answers 401, so the shell can show the login screen. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const BASE = '/admin/api';

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, init);
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the server (${(err as Error).message})`);
  }
  if (res.ok) return res;
  let payload: { error?: string; message?: string; issues?: Issue[] } = {};
  try {
    payload = (await res.json()) as typeof payload;
  } catch {
    // not JSON: keep the status text
  }
  if (res.status === 401 && path !== '/session') unauthorizedListeners.forEach((l) => l());
  throw new ApiError(
    res.status,
    payload.error ?? `http_${res.status}`,
    payload.message ?? res.statusText ?? `HTTP ${res.status}`,
    payload.issues ?? [],
  );
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

async function page<T>(path: string): Promise<Page<T>> {
  const res = await send('GET', path);
  return { items: (await res.json()) as T[], nextCursor: res.headers.get('X-Next-Cursor') };
}

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const api = {
  session: () => json<{ authenticated: boolean }>('GET', '/session'),
  login: (token: string) => json<{ authenticated: true }>('POST', '/session', { token }),
  logout: () => json<{ authenticated: false }>('DELETE', '/session'),

  connection: (env: Environment) => json<Connection>('GET', `/environments/${env}/stripe`),
  saveConnection: (env: Environment, input: ConnectionInput) =>
    json<Connection>('PUT', `/environments/${env}/stripe`, input),
  stripeRegistration: (env: Environment) =>
    json<StripeRegistrationStatus>('GET', `/environments/${env}/stripe/register`),
  /** `confirm` registers although the key's mode does not fit the environment (the server answers 409 mode_mismatch otherwise). */
  registerStripe: (env: Environment, opts: { confirm?: boolean } = {}) =>
    json<StripeRegistration>('POST', `/environments/${env}/stripe/register`, opts.confirm ? { confirm: true } : {}),
  deregisterStripe: (env: Environment) => json<StripeDeregistration>('DELETE', `/environments/${env}/stripe/register`),
  /** `since`: unix seconds, at most 30 days back; the server defaults to 3 days. */
  reconcileStripe: (env: Environment, since?: number) =>
    json<ReconcileResult>('POST', `/environments/${env}/stripe/reconcile`, since === undefined ? {} : { since }),

  events: (env: Environment, opts: { limit?: number; type?: string; cursor?: string | null } = {}) =>
    page<EventSummary>(
      `/environments/${env}/events${query({ limit: opts.limit ?? 50, type: opts.type, cursor: opts.cursor })}`,
    ),
  event: (env: Environment, id: string) => json<EventDetail>('GET', `/environments/${env}/events/${enc(id)}`),
  replayEvent: (env: Environment, id: string, opts: { workflowId?: string; version?: number } = {}) =>
    json<{ executionId: string }[]>('POST', `/environments/${env}/events/${enc(id)}/replay`, opts),

  workflows: () => json<WorkflowSummary[]>('GET', '/workflows'),
  workflow: (id: string) => json<WorkflowRecord>('GET', `/workflows/${enc(id)}`),
  createWorkflow: (doc: WorkflowDoc) => json<WorkflowRecord>('POST', '/workflows', doc),
  saveWorkflow: (id: string, doc: WorkflowDoc) => json<WorkflowRecord>('PUT', `/workflows/${enc(id)}`, doc),
  deleteWorkflow: (id: string) => json<void>('DELETE', `/workflows/${enc(id)}`),
  versions: (id: string) => json<WorkflowVersion[]>('GET', `/workflows/${enc(id)}/versions`),
  version: (id: string, version: number) =>
    json<{ version: number; document: WorkflowDoc }>('GET', `/workflows/${enc(id)}/versions/${version}`),
  publish: (id: string, environment: PublishTarget, version?: number) =>
    json<{ environment: PublishTarget; version: number }>(
      'POST',
      `/workflows/${enc(id)}/publish`,
      version === undefined ? { environment } : { environment, version },
    ),
  testRun: (id: string, source: { event: unknown } | { eventId: string }) =>
    json<{ executionId: string }>('POST', `/workflows/${enc(id)}/test-run`, source),

  executionsPage: (filter: {
    environment?: Environment;
    status?: string;
    eventId?: string;
    workflowId?: string;
    cursor?: string | null;
    limit?: number;
  }) => page<Execution>(`/executions${query({ ...filter, limit: filter.limit ?? 50 })}`),
  execution: (id: string) => json<Execution>('GET', `/executions/${enc(id)}`),
  retryExecution: (id: string) => json<Execution>('POST', `/executions/${enc(id)}/retry`),

  tables: () => json<TableSummary[]>('GET', '/tables'),
  tableRows: (table: string, opts: { limit?: number; cursor?: string | null } = {}) =>
    page<TableRow>(`/tables/${enc(table)}/rows${query({ limit: opts.limit ?? 50, cursor: opts.cursor })}`),
};

/** A message fit for the UI, with the first issues named. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404 && err.code === 'not_found' && /no admin route/.test(err.message)) {
      return 'This server does not offer that yet (no such admin route).';
    }
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
