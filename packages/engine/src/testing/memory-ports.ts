/**
 * In-memory Ports for tests and the editor's preview. Pure: no I/O, a manual
 * clock, and `sleep` that advances the clock instead of waiting.
 */
import { NonRetriableError } from '../errors.js';
import type {
  EmailMessage,
  HttpRequest,
  HttpResponse,
  LogEntry,
  Ports,
  StripeRequest,
  StripeResponse,
  TableCondition,
  TableRow,
} from '../ports.js';

interface StoredRow extends TableRow {
  /** `created` of the event that last wrote the row, for the staleness check. */
  lastEventCreated: number;
  lastIdempotencyKey: string;
}

export interface MemoryPortsOptions {
  /** Start of the manual clock (ms). */
  now?: number;
  /** Answers http.request; default 200 `{}`. Throw to simulate a network failure. */
  http?: (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;
  /** Answers stripe.request; default 200 with `{ id, object }` from the path. */
  stripe?: (req: StripeRequest) => StripeResponse | Promise<StripeResponse>;
  /** Called on email.send; throw to simulate failure. */
  email?: (msg: EmailMessage) => { id?: string } | undefined | Promise<{ id?: string } | undefined>;
}

export interface MemoryPorts extends Ports {
  /** table → key → row */
  readonly data: Map<string, Map<string, StoredRow>>;
  readonly httpRequests: HttpRequest[];
  readonly stripeRequests: StripeRequest[];
  readonly emails: EmailMessage[];
  readonly logs: LogEntry[];
  readonly sleeps: number[];
  rows(table: string): TableRow[];
  advance(ms: number): void;
  sleep(ms: number): Promise<void>;
}

function fieldValue(row: TableRow, field: string): unknown {
  if (field === '$key') return row.key;
  if (field === '$updatedAt') return row.updatedAt;
  return row.values[field];
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function holds(row: TableRow, c: TableCondition): boolean {
  const v = fieldValue(row, c.field);
  switch (c.op) {
    case 'eq':
      return compare(v, c.value) === 0;
    case 'ne':
      return compare(v, c.value) !== 0;
    case 'gt':
      return compare(v, c.value) > 0;
    case 'gte':
      return compare(v, c.value) >= 0;
    case 'lt':
      return compare(v, c.value) < 0;
    case 'lte':
      return compare(v, c.value) <= 0;
    case 'in':
      return Array.isArray(c.value) && c.value.some((x) => compare(v, x) === 0);
    case 'contains':
      return Array.isArray(v)
        ? v.some((x) => compare(x, c.value) === 0)
        : typeof v === 'string' && v.includes(String(c.value));
    case 'exists':
      return (v !== undefined && v !== null) === (c.value === undefined ? true : Boolean(c.value));
  }
}

const publicRow = (r: StoredRow): TableRow => ({ key: r.key, values: { ...r.values }, updatedAt: r.updatedAt });

export function createMemoryPorts(options: MemoryPortsOptions = {}): MemoryPorts {
  let clock = options.now ?? Date.UTC(2026, 0, 1);
  const data = new Map<string, Map<string, StoredRow>>();
  const table = (name: string) => {
    let t = data.get(name);
    if (!t) {
      t = new Map();
      data.set(name, t);
    }
    return t;
  };
  const ports: MemoryPorts = {
    data,
    httpRequests: [],
    stripeRequests: [],
    emails: [],
    logs: [],
    sleeps: [],
    rows: (name) => [...table(name).values()].map(publicRow),
    now: () => clock,
    advance(ms) {
      clock += ms;
    },
    async sleep(ms) {
      ports.sleeps.push(ms);
      clock += ms;
    },
    log(entry) {
      ports.logs.push(entry);
    },
    tables: {
      async upsert(req) {
        const t = table(req.table);
        const existing = t.get(req.key);
        if (existing && existing.lastIdempotencyKey === req.idempotencyKey) {
          return { skipped: false, created: false, row: publicRow(existing) };
        }
        if (existing && req.eventCreated < existing.lastEventCreated) return { skipped: true, reason: 'stale' };
        const row: StoredRow = {
          key: req.key,
          values: { ...existing?.values, ...req.values },
          updatedAt: clock,
          lastEventCreated: req.eventCreated,
          lastIdempotencyKey: req.idempotencyKey,
        };
        t.set(req.key, row);
        return { skipped: false, created: !existing, row: publicRow(row) };
      },
      async insert(req) {
        const t = table(req.table);
        const existing = t.get(req.key);
        if (existing) {
          if (existing.lastIdempotencyKey === req.idempotencyKey) return { row: publicRow(existing) };
          throw new NonRetriableError(`row "${req.key}" already exists in table ${req.table}`);
        }
        const row: StoredRow = {
          key: req.key,
          values: { ...req.values },
          updatedAt: clock,
          lastEventCreated: req.eventCreated,
          lastIdempotencyKey: req.idempotencyKey,
        };
        t.set(req.key, row);
        return { row: publicRow(row) };
      },
      async update(req) {
        const existing = table(req.table).get(req.key);
        if (!existing) return { row: null };
        existing.values = { ...existing.values, ...req.values };
        existing.updatedAt = clock;
        existing.lastEventCreated = Math.max(existing.lastEventCreated, req.eventCreated);
        existing.lastIdempotencyKey = req.idempotencyKey;
        return { row: publicRow(existing) };
      },
      async delete(req) {
        return { deleted: table(req.table).delete(req.key) };
      },
      async query(req) {
        let rows = [...table(req.table).values()].map(publicRow).filter((r) => req.where.every((c) => holds(r, c)));
        if (req.orderBy.length) {
          rows = rows.sort((a, b) => {
            for (const o of req.orderBy) {
              const c = compare(fieldValue(a, o.field), fieldValue(b, o.field));
              if (c !== 0) return o.direction === 'desc' ? -c : c;
            }
            return 0;
          });
        }
        return rows.slice(0, req.limit);
      },
    },
    http: {
      async request(req) {
        ports.httpRequests.push(req);
        return options.http
          ? options.http(req)
          : { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
      },
    },
    stripe: {
      async request(req) {
        ports.stripeRequests.push(req);
        if (options.stripe) return options.stripe(req);
        const [, , resource, id] = req.path.split('/');
        return {
          status: 200,
          body: id ? { id, object: resource, ...req.params } : { object: 'list', data: [], has_more: false },
        };
      },
    },
    email: {
      async send(msg) {
        ports.emails.push(msg);
        const res = options.email ? await options.email(msg) : undefined;
        return { id: res?.id ?? `email_${ports.emails.length}` };
      },
    },
  };
  return ports;
}
