import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const ENVIRONMENTS = ['editor', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** One Stripe connection per environment. Secrets are stored only as AES-GCM ciphertext plus a masked hint. */
export const connections = pgTable('connections', {
  environment: text('environment').$type<Environment>().primaryKey(),
  secretKeyCipher: text('secret_key_cipher'),
  secretKeyHint: text('secret_key_hint'),
  webhookEnabled: boolean('webhook_enabled').notNull().default(false),
  webhookPath: text('webhook_path'),
  webhookSecretCipher: text('webhook_secret_cipher'),
  webhookSecretHint: text('webhook_secret_hint'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('connections_webhook_path_key').on(t.webhookPath)]);

/**
 * The inbox: every verified Stripe event, once per (environment, Stripe event id).
 * `payload` is the whole event as Stripe sent it; the other columns are copies for filtering and ordering.
 */
export const events = pgTable('events', {
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
  status: text('status').notNull().default('received'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
}, (t) => [
  // The only secondary index: every one added is paid on each ingest. Lists walk the primary key backwards.
  uniqueIndex('events_environment_stripe_id_key').on(t.environment, t.stripeId),
]);
