/**
 * Every side effect of a run goes through these ports; the server implements
 * them over PostgreSQL, fetch, the Stripe client and its mailer, and
 * `createMemoryPorts` (`@switchyard/engine/testing`) implements them in memory for tests.
 *
 * Error contract: throw `NonRetriableError` for a permanent failure; any other
 * thrown error is treated as transient (network, database busy) and retried
 * under the node's policy. HTTP and Stripe ports return non-2xx responses
 * instead of throwing, so the engine can classify 429/5xx itself.
 *
 * Idempotency: every write carries `idempotencyKey`; a port that sees a key it
 * already completed should return the earlier result instead of acting again.
 */

export interface TableRow {
  key: string;
  values: Record<string, unknown>;
  /** ms since epoch */
  updatedAt: number;
}

export interface TableWrite {
  table: string;
  key: string;
  idempotencyKey: string;
  eventId: string;
  /** `created` of the Stripe event driving the write (unix seconds). */
  eventCreated: number;
}

export type UpsertResult =
  | { skipped: false; created: boolean; row: TableRow }
  /** The row was last written by a newer event; nothing changed. */
  | { skipped: true; reason: 'stale' };

export type TableConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'exists';

export interface TableCondition {
  /** A column of `values`, or `$key` / `$updatedAt`. */
  field: string;
  op: TableConditionOp;
  value?: unknown;
}

export interface TableQuery {
  table: string;
  where: TableCondition[];
  orderBy: { field: string; direction: 'asc' | 'desc' }[];
  limit: number;
}

export interface TablesPort {
  /**
   * Insert or merge `values` into the row. Must be atomic with the staleness
   * check: when the row was last written by an event with a greater
   * `eventCreated`, skip and answer `{ skipped: true, reason: 'stale' }`.
   */
  upsert(req: TableWrite & { values: Record<string, unknown> }): Promise<UpsertResult>;
  /** Throws NonRetriableError when the key exists (unless written with the same idempotencyKey). */
  insert(req: TableWrite & { values: Record<string, unknown> }): Promise<{ row: TableRow }>;
  /** Merges `values` into an existing row; `row: null` when there is none. */
  update(req: TableWrite & { values: Record<string, unknown> }): Promise<{ row: TableRow | null }>;
  delete(req: TableWrite): Promise<{ deleted: boolean }>;
  query(req: TableQuery): Promise<TableRow[]>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, or base64 when `bodyEncoding` says so (binary content). */
  body: string;
  bodyEncoding?: 'base64';
}

export interface HttpPort {
  /** Throws on network failure or timeout (retried); returns every HTTP status. */
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface StripeRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** e.g. `/v1/customers/cus_123` */
  path: string;
  params?: Record<string, unknown>;
  /** Sent as Idempotency-Key on POST. */
  idempotencyKey?: string;
}

export interface StripeResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface StripePort {
  /** Uses the environment's secret key; returns Stripe's status and parsed JSON body. */
  request(req: StripeRequest): Promise<StripeResponse>;
}

export interface EmailMessage {
  to: string[];
  cc?: string[];
  from?: string;
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  idempotencyKey: string;
}

export interface EmailPort {
  send(msg: EmailMessage): Promise<{ id?: string }>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  data?: unknown;
  nodeId: string;
  eventId: string;
}

export interface Ports {
  tables: TablesPort;
  http: HttpPort;
  stripe: StripePort;
  email: EmailPort;
  log(entry: LogEntry): void | Promise<void>;
  /** ms since epoch; the only clock the engine reads (besides expression timeouts). */
  now(): number;
  /** When present, short retry delays are waited in-process; otherwise the run returns `status: 'retry'`. */
  sleep?(ms: number): Promise<void>;
}
