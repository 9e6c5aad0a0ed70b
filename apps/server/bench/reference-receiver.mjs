#!/usr/bin/env node
// The reference receiver, the baseline the benchmarks measure Switchyard against: the least a durable webhook
// receiver can do. Hono on @hono/node-server reads the raw body, stripe-node's constructEventAsync checks the
// signature (300 s tolerance), one `INSERT … ON CONFLICT DO NOTHING` per request stores the event, then 200. No
// batching, no workflows: what Switchyard adds on top of this is what the ratio prices.
//
//   PORT=14242 WEBHOOK_SECRET=whsec_... DATABASE_URL=postgres://... node apps/server/bench/reference-receiver.mjs
//   (without DATABASE_URL: PGlite in a temporary directory; POOL sets the postgres.js pool size, default 10)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import Stripe from 'stripe';

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('WEBHOOK_SECRET is required');
  process.exit(2);
}
const stripe = new Stripe('sk_test_reference_receiver');
const TABLE = `CREATE TABLE IF NOT EXISTS reference_events (
  stripe_id text PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
)`;
const INSERT =
  'INSERT INTO reference_events (stripe_id, type, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT (stripe_id) DO NOTHING';

/** One statement per delivery, on PostgreSQL (postgres.js) or embedded PGlite. */
async function openStore() {
  if (process.env.DATABASE_URL) {
    const { default: postgres } = await import('postgres');
    const sql = postgres(process.env.DATABASE_URL, { max: Number(process.env.POOL ?? 10), onnotice: () => {} });
    await sql.unsafe(TABLE);
    await sql.unsafe('TRUNCATE reference_events');
    return (id, type, raw) => sql.unsafe(INSERT, [id, type, raw], { prepare: true });
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(mkdtempSync(join(tmpdir(), 'switchyard-reference-')));
  await db.exec(TABLE);
  return (id, type, raw) => db.query(INSERT, [id, type, raw]);
}

const insert = await openStore();
const app = new Hono();
app.post('*', async (c) => {
  const raw = await c.req.text();
  let event;
  try {
    event = await stripe.webhooks.constructEventAsync(raw, c.req.header('stripe-signature') ?? '', secret);
  } catch {
    return c.json({ error: 'invalid_signature' }, 400);
  }
  await insert(event.id, event.type, raw);
  return c.json({ received: true });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 14242), hostname: '127.0.0.1' }, (info) =>
  console.log(`reference receiver on 127.0.0.1:${info.port}`),
);
