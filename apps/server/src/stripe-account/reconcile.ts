import { and, eq, inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import { type Environment, events } from '../db/schema.js';
import type { Inbox } from '../ingest/inbox.js';
import { type ParsedStripeEvent, parseStripeEvent } from '../ingest/stripe-event.js';
import type { Logger } from '../logger.js';
import { chunk, MAX_TYPES_PER_LIST } from './event-types.js';

export interface ReconcileResult {
  /** Events Stripe listed for the needed types since `since`. */
  scanned: number;
  /** Missing ones now stored in the inbox (with their runs). */
  ingested: number;
  /** Ones the inbox already held (delivered by webhook or an earlier reconcile). */
  alreadyHad: number;
}

export interface ReconcileProgress extends ReconcileResult {
  /** Pages read so far (100 events each). */
  pages: number;
  /** Phase: listing Stripe's pages, or storing what was missing. */
  phase: 'listing' | 'ingesting' | 'done';
  /** Missing events found so far, not yet stored. */
  missing: number;
}

export interface ReconcileInput {
  stripe: Stripe;
  database: Db;
  inbox: Inbox;
  environment: Environment;
  /** unix seconds: `created[gte]`. */
  since: number;
  types: readonly string[];
  log: Logger;
  onProgress?: (progress: ReconcileProgress) => void;
  pageSize?: number;
}

const INGEST_BATCH = 200;

/**
 * Reads `GET /v1/events` (created ≥ since, the needed types in groups of 20, paged with starting_after),
 * keeps the events the inbox lacks, and stores them oldest first through `inbox.store`: the same transaction,
 * matching and exactly-once guarantee as a webhook delivery. A webhook arriving meanwhile is a duplicate, not a
 * second run. Safe to repeat and to run concurrently.
 */
export async function reconcileEvents(input: ReconcileInput): Promise<ReconcileResult> {
  const { stripe, environment, log } = input;
  const progress: ReconcileProgress = {
    scanned: 0,
    ingested: 0,
    alreadyHad: 0,
    pages: 0,
    missing: 0,
    phase: 'listing',
  };
  const report = () => input.onProgress?.({ ...progress });
  const missing: { event: ParsedStripeEvent; raw: string }[] = [];

  for (const types of chunk(input.types, MAX_TYPES_PER_LIST)) {
    for (let startingAfter: string | undefined; ; ) {
      const page = await stripe.events.list({
        created: { gte: input.since },
        types: [...types],
        limit: input.pageSize ?? 100,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      const listed = page.data;
      progress.pages += 1;
      progress.scanned += listed.length;
      const have = await storedIds(
        input.database,
        environment,
        listed.map((e) => e.id),
      );
      for (const event of listed) {
        if (have.has(event.id)) {
          progress.alreadyHad += 1;
          continue;
        }
        const raw = JSON.stringify(event);
        const parsed = parseStripeEvent(raw);
        if (!parsed.ok) {
          log.warn(
            { environment, eventId: event.id, message: parsed.message },
            'reconcile skipped an event it could not read',
          );
          continue;
        }
        missing.push({ event: parsed.event, raw });
      }
      progress.missing = missing.length;
      log.info(
        {
          environment,
          page: progress.pages,
          scanned: progress.scanned,
          missing: missing.length,
          alreadyHad: progress.alreadyHad,
        },
        'reconcile page',
      );
      report();
      if (!page.has_more || listed.length === 0) break;
      startingAfter = listed.at(-1)!.id;
    }
  }

  // Oldest first, so runs of one object are created in the order Stripe created the events.
  missing.sort((a, b) => a.event.created - b.event.created || a.event.id.localeCompare(b.event.id));
  progress.phase = 'ingesting';
  for (const batch of chunk(missing, INGEST_BATCH)) {
    const results = await Promise.all(batch.map(({ event, raw }) => input.inbox.store({ environment, event, raw })));
    for (const r of results) {
      if (r === 'stored') progress.ingested += 1;
      else progress.alreadyHad += 1;
    }
    progress.missing -= batch.length;
    report();
  }
  progress.phase = 'done';
  report();
  const result = { scanned: progress.scanned, ingested: progress.ingested, alreadyHad: progress.alreadyHad };
  log.info({ environment, since: input.since, ...result }, 'reconcile finished');
  return result;
}

async function storedIds(db: Db, environment: Environment, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: events.stripeId })
    .from(events)
    .where(and(eq(events.environment, environment), inArray(events.stripeId, ids)));
  return new Set(rows.map((r) => r.id));
}
