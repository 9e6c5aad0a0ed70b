import { EXECUTION_STATUSES, type ExecutionStatus } from '@switchyard/contract';
import { ENV_NAMES, type EnvName } from '@switchyard/engine';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** The engine defines the environments once; these names keep the server's imports short. */
export const ENVIRONMENTS = ENV_NAMES;
export type Environment = EnvName;

/** One Stripe connection per environment. Secrets are stored only as AES-GCM ciphertext plus a masked hint. */
export const connections = pgTable(
  'connections',
  {
    environment: text('environment').$type<Environment>().primaryKey(),
    secretKeyCipher: text('secret_key_cipher'),
    secretKeyHint: text('secret_key_hint'),
    webhookEnabled: boolean('webhook_enabled').notNull().default(false),
    webhookPath: text('webhook_path'),
    webhookSecretCipher: text('webhook_secret_cipher'),
    webhookSecretHint: text('webhook_secret_hint'),
    /** The signing secret before the last rotation; it keeps verifying until `previous_webhook_secret_expires_at`. */
    previousWebhookSecretCipher: text('previous_webhook_secret_cipher'),
    previousWebhookSecretExpiresAt: timestamp('previous_webhook_secret_expires_at', { withTimezone: true }),
    /** The Stripe webhook endpoint this environment registered (POST …/stripe/register), and what it was last given. */
    stripeEndpointId: text('stripe_endpoint_id'),
    stripeEndpointEvents: text('stripe_endpoint_events').array(),
    stripeEndpointRegisteredAt: timestamp('stripe_endpoint_registered_at', { withTimezone: true }),
    /** Scheduled reconcile: when the last one finished, and a lease so one process at a time runs it. */
    lastReconciledAt: timestamp('last_reconciled_at', { withTimezone: true }),
    reconcileLeaseUntil: timestamp('reconcile_lease_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('connections_webhook_path_key').on(t.webhookPath)],
);

/**
 * The inbox: every verified Stripe event, once per (environment, Stripe event id).
 * `payload` is the whole event as Stripe sent it; the other columns are copies for filtering and ordering.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    environment: text('environment').$type<Environment>().notNull(),
    stripeId: text('stripe_id').notNull(),
    type: text('type').notNull(),
    action: text('action').notNull(),
    objectId: text('object_id'),
    created: bigint('created', { mode: 'number' }).notNull(),
    livemode: boolean('livemode').notNull(),
    account: text('account'),
    apiVersion: text('api_version'),
    payload: jsonb('payload').notNull(),
    /** The trigger node type this event fires (`stripe.invoice`…), null for types no trigger knows. */
    family: text('family'),
    /** A sample stored by an editor test run: never a delivery from Stripe, so kept out of delivery stats. */
    test: boolean('test').notNull().default(false),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    // Every index here is paid on each ingest, so only what a read at any size of history needs: without these the
    // events list and the connection page walk the whole table back for a quiet environment or a rare type.
    uniqueIndex('events_environment_stripe_id_key').on(t.environment, t.stripeId),
    // An environment's events newest first: the events list, the connection page's counts.
    index('events_environment_id_idx').on(t.environment, t.id),
    // The list's type filter, a prefix match (`invoice` finds `invoice.paid`): byte-wise order, so a prefix is a range.
    index('events_environment_type_idx').on(t.environment, t.type.op('text_pattern_ops'), t.id),
  ],
);

export const workflows = pgTable('workflows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  latestVersion: integer('latest_version').notNull(),
  /** The editor's autosaved, unsaved document; null once saved as a version. Nothing runs it. */
  draft: jsonb('draft'),
  /** Bumped by every draft or version write: with latest_version it makes the ETag that If-Match checks. */
  revision: integer('revision').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every save is a version; versions are immutable, so workers cache them by (workflow, version). */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    document: jsonb('document').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
);

/**
 * What runs where: the editor environment follows the latest save, staging and production follow publish.
 * The trigger is copied out of the document so ingest can match events in SQL, inside its own transaction.
 */
export const deployments = pgTable(
  'deployments',
  {
    environment: text('environment').$type<Environment>().notNull(),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    triggerType: text('trigger_type').notNull(),
    triggerActions: text('trigger_actions').array().notNull(),
    /** Paused when false: its events are still stored but create no runs. Saves and publishes keep it as it is. */
    enabled: boolean('enabled').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.environment, t.workflowId] }),
    index('deployments_match_idx').on(t.environment, t.triggerType),
  ],
);

export { EXECUTION_STATUSES, type ExecutionStatus };
export type ExecutionOrigin = 'event' | 'retry' | 'replay' | 'test';

/**
 * One run of one workflow version on one event: the queue item and its record at once.
 * `steps` is the engine's step log, which doubles as the memo a resumed run continues from.
 */
export const executions = pgTable(
  'executions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    environment: text('environment').$type<Environment>().notNull(),
    workflowId: text('workflow_id').notNull(),
    workflowVersion: integer('workflow_version').notNull(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    eventCreated: bigint('event_created', { mode: 'number' }).notNull(),
    objectId: text('object_id'),
    /** The event's Stripe type, copied at creation so a search by type is an index range, not a join. */
    eventType: text('event_type'),
    origin: text('origin').$type<ExecutionOrigin>().notNull(),
    /** The execution this one retries or replays. */
    parentId: bigint('parent_id', { mode: 'number' }),
    status: text('status').$type<ExecutionStatus>().notNull(),
    attempt: integer('attempt').notNull().default(0),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    steps: jsonb('steps').notNull().default([]),
    error: jsonb('error'),
    errorNodeId: text('error_node_id'),
    /** Claims that ended with a lapsed lease (a crash or stall): what the dead-letter limit counts. */
    lapsedLeases: integer('lapsed_leases').notNull().default(0),
    /** Set when the last attempt failed: the run stays failed until someone retries it. */
    deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }),
    /** When a retry of this failed run was created: it has left the dead-letter view, and a bulk retry skips it. */
    retriedAt: timestamp('retried_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // Each event runs once per workflow, however often Stripe or a reconcile delivers it.
    uniqueIndex('executions_event_workflow_key').on(t.eventId, t.workflowId).where(sql`origin = 'event'`),
    // The queue: what may be claimed, in order. Exactly the claim's predicate, so the planner walks it in order
    // and stops after a batch instead of sorting every pending run.
    index('executions_queue_idx').on(t.runAt, t.id).where(sql`status = 'pending'`),
    // Leases to reap: only the few running runs.
    index('executions_lease_idx').on(t.leaseUntil).where(sql`status = 'running'`),
    // Per-object ordering looks for an earlier unfinished run of the same workflow and object.
    index('executions_object_idx')
      .on(t.workflowId, t.objectId, t.eventCreated)
      .where(sql`status IN ('pending', 'running')`),
    index('executions_workflow_idx').on(t.workflowId, t.id),
    index('executions_event_idx').on(t.eventId),
    index('executions_dead_letter_idx').on(t.deadLetteredAt).where(sql`dead_lettered_at IS NOT NULL`),
    // The executions search (executions/search.ts): newest first by (created_at, id) within an environment, one
    // index per filter that must stay a range scan at millions of rows. Leading columns never change after insert.
    index('executions_search_idx').on(t.environment, t.createdAt, t.id),
    index('executions_search_workflow_idx').on(t.environment, t.workflowId, t.createdAt, t.id),
    index('executions_search_type_idx').on(t.environment, t.eventType, t.createdAt, t.id),
    index('executions_search_object_idx').on(t.objectId, t.createdAt, t.id),
    index('executions_search_failed_idx').on(t.environment, t.createdAt, t.id).where(sql`status = 'failed'`),
    // The dead-letter view and bulk retry's candidates: failed, retries spent, not retried yet.
    index('executions_search_dead_letter_idx')
      .on(t.environment, t.createdAt, t.id)
      .where(sql`dead_lettered_at IS NOT NULL AND retried_at IS NULL`),
  ],
);

/**
 * User data tables as JSON rows: a table is a name, a row is a key plus a jsonb object. No DDL runs on
 * user input, tables appear on first write inside the writing transaction, and fields can vary per row as
 * they do in Stripe objects. `event_created` is the Stripe `created` of the event that last wrote the row.
 * Every table belongs to one environment: a test run in the editor never writes the rows production reads.
 */
export const dataTables = pgTable(
  'data_tables',
  {
    environment: text('environment').$type<Environment>().notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environment, t.name] })],
);

export const dataRows = pgTable(
  'data_rows',
  {
    environment: text('environment').$type<Environment>().notNull(),
    tableName: text('table_name').notNull(),
    key: text('key').notNull(),
    values: jsonb('values').notNull(),
    eventCreated: bigint('event_created', { mode: 'number' }),
    eventId: text('event_id'),
    /** Idempotency key of the last write, so a repeated insert of the same step is recognised. */
    writeKey: text('write_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.environment, t.tableName, t.key] }),
    foreignKey({
      columns: [t.environment, t.tableName],
      foreignColumns: [dataTables.environment, dataTables.name],
      name: 'data_rows_table_fk',
    }).onDelete('cascade'),
  ],
);

/**
 * Where an unfinished reconcile stopped, per environment: the next one with the same `since` and types lists
 * only what the failed one had not reached (plus whatever was created after it started), instead of all again.
 */
export const reconcileCursors = pgTable('reconcile_cursors', {
  environment: text('environment').$type<Environment>().primaryKey(),
  since: bigint('since', { mode: 'number' }).notNull(),
  /** The needed types, sorted and joined: a cursor is only valid for the same list. */
  types: text('types').notNull(),
  /** Index of the group of types being listed, and the last event of it already stored. */
  chunk: integer('chunk').notNull(),
  startingAfter: text('starting_after').notNull(),
  /** unix seconds: events created from here on were not listed by the interrupted reconcile. */
  headCreated: bigint('head_created', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An environment's secrets for workflows (`context.secrets.NAME`): AES-GCM ciphertext only, bound to
 * `<environment>:secret:<name>` so a value copied to another environment or name fails to open.
 */
export const environmentSecrets = pgTable(
  'environment_secrets',
  {
    environment: text('environment').$type<Environment>().notNull(),
    name: text('name').notNull(),
    valueCipher: text('value_cipher').notNull(),
    /** What the API shows instead of the value. */
    masked: text('masked').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environment, t.name] })],
);

/** An environment's variables for workflows (`context.vars.NAME`): plain JSON, shown in full. */
export const environmentVars = pgTable(
  'environment_vars',
  {
    environment: text('environment').$type<Environment>().notNull(),
    name: text('name').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.environment, t.name] })],
);

/** An environment's own SMTP server for email nodes: the URL (it may hold a password) sealed, and its sender. */
export const environmentSmtp = pgTable('environment_smtp', {
  environment: text('environment').$type<Environment>().primaryKey(),
  urlCipher: text('url_cipher').notNull(),
  /** The URL with its password replaced by dots. */
  urlMasked: text('url_masked').notNull(),
  fromAddress: text('from_address'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The last 100 refused webhook deliveries of each environment, as a ring: slot = seq % 100, overwritten in place,
 * so no flood of forged requests can grow it. Only when, the status answered and why; never a body or a header.
 */
export const deliveryRefusals = pgTable(
  'delivery_refusals',
  {
    environment: text('environment').$type<Environment>().notNull(),
    slot: smallint('slot').notNull(),
    /** The refusal's number in its environment (refusal_counters): orders the ring newest first. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    status: smallint('status').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.environment, t.slot] }),
    check('delivery_refusals_slot', sql`slot BETWEEN 0 AND 99`),
  ],
);

/** How many refusals each environment has had: the next ring slot. One row per environment. */
export const refusalCounters = pgTable('refusal_counters', {
  environment: text('environment').$type<Environment>().primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
});

/**
 * Where an environment's alerts go. The webhook URL may carry a token (Slack's do), so it is sealed like a secret
 * and shown masked. The last delivery to each destination is kept so a failing one is visible.
 */
export const alertDestinations = pgTable('alert_destinations', {
  environment: text('environment').$type<Environment>().primaryKey(),
  email: text('email'),
  webhookCipher: text('webhook_cipher'),
  webhookMasked: text('webhook_masked'),
  emailLastAt: timestamp('email_last_at', { withTimezone: true }),
  emailLastError: text('email_last_error'),
  webhookLastAt: timestamp('webhook_last_at', { withTimezone: true }),
  webhookLastError: text('webhook_last_error'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Alert rate limits, shared by every process on the database: one row per environment and cause (a workflow's
 * dead-lettered runs, one refusal reason). `pending` counts what happened since the last alert; `sent_count` is
 * the count the last alert carried.
 */
export const alertSends = pgTable(
  'alert_sends',
  {
    environment: text('environment').$type<Environment>().notNull(),
    cause: text('cause').notNull(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull(),
    pending: integer('pending').notNull().default(0),
    sentCount: integer('sent_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.environment, t.cause] })],
);
