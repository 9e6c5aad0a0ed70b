import { and, eq, inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import { type Environment, events, reconcileCursors } from '../db/schema.js';
import { type Inbox, UnstorableEventError } from '../ingest/inbox.js';
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
  /** Missing events of the page being stored, not yet stored. */
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

/** Events created this close before a reconcile started may not have been listable yet when it listed the head. */
const HEAD_OVERLAP_SECONDS = 60;

/**
 * Reads `GET /v1/events` (created ≥ since, the needed types in groups of 20, paged with starting_after) and
 * stores each page's missing events before reading the next, through `inbox.store`: the same transaction,
 * matching and exactly-once guarantee as a webhook delivery. A webhook arriving meanwhile is a duplicate, not a
 * second run. Safe to repeat and to run concurrently.
 *
 * Stripe lists newest first, so a reconcile that fails on page 40 keeps pages 1–39, and leaves a cursor: the
 * next reconcile of the environment for the same types and a `since` no earlier lists what was created after
 * the failed one started, then goes on from page 40 instead of listing everything again. Within a page events
 * are stored oldest first; across pages a newer event's runs may start before an older page is stored (the
 * queue orders runs of one object only among the runs it holds), the price of keeping progress.
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
  const types = [...new Set(input.types)].sort();
  const typesKey = types.join(',');
  const startedS = Math.floor(Date.now() / 1000) - HEAD_OVERLAP_SECONDS;
  const saved = await loadCursor(input.database, environment);
  const cursor = saved && saved.types === typesKey && saved.since <= input.since ? saved : undefined;
  if (cursor) log.info({ environment, chunk: cursor.chunk, after: cursor.startingAfter }, 'reconcile resumes');

  const listPages = async (
    chunkIndex: number,
    typeGroup: string[],
    gte: number,
    from: string | undefined,
    keepCursor: boolean,
  ) => {
    for (let startingAfter = from; ; ) {
      const page = await stripe.events.list({
        created: { gte },
        types: typeGroup,
        limit: input.pageSize ?? 100,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      const listed = page.data;
      progress.pages += 1;
      progress.scanned += listed.length;
      await storePage(input, listed, progress, report);
      log.info(
        { environment, page: progress.pages, scanned: progress.scanned, alreadyHad: progress.alreadyHad },
        'reconcile page',
      );
      if (!page.has_more || listed.length === 0) return;
      startingAfter = listed.at(-1)!.id;
      // Only once the page is stored: a failure on the next page resumes right after it.
      if (keepCursor)
        await saveCursor(input.database, {
          environment,
          since: input.since,
          types: typesKey,
          chunk: chunkIndex,
          startingAfter,
          headCreated: startedS,
        });
    }
  };

  const groups = chunk(types, MAX_TYPES_PER_LIST);
  for (const [index, group] of groups.entries()) {
    if (cursor && index <= cursor.chunk) {
      // Done by the interrupted reconcile up to when it started: list only what is newer, then its remainder.
      await listPages(index, group, Math.max(input.since, cursor.headCreated), undefined, false);
      if (index === cursor.chunk) await listPages(index, group, input.since, cursor.startingAfter, true);
    } else {
      await listPages(index, group, input.since, undefined, true);
    }
  }
  await input.database.delete(reconcileCursors).where(eq(reconcileCursors.environment, environment));
  progress.phase = 'done';
  report();
  const result = { scanned: progress.scanned, ingested: progress.ingested, alreadyHad: progress.alreadyHad };
  log.info({ environment, since: input.since, ...result }, 'reconcile finished');
  return result;
}

/** Stores the events of one listed page that the inbox lacks, oldest first. */
async function storePage(
  input: ReconcileInput,
  listed: Stripe.Event[],
  progress: ReconcileProgress,
  report: () => void,
): Promise<void> {
  const { environment, log } = input;
  const have = await storedIds(
    input.database,
    environment,
    listed.map((e) => e.id),
  );
  const missing: { event: ParsedStripeEvent; raw: string }[] = [];
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
  // Oldest first, so runs of one object are created in the order Stripe created the events.
  missing.sort((a, b) => a.event.created - b.event.created || a.event.id.localeCompare(b.event.id));
  progress.missing = missing.length;
  progress.phase = 'ingesting';
  report();
  const results = await Promise.all(
    missing.map(({ event, raw }) =>
      input.inbox.store({ environment, event, raw }).catch((error: unknown) => {
        // One event the database cannot hold is skipped, with its reason; it must not stop the others.
        if (!(error instanceof UnstorableEventError)) throw error;
        log.warn({ environment, eventId: event.id, message: error.message }, 'reconcile skipped an unstorable event');
        return 'unstorable' as const;
      }),
    ),
  );
  for (const r of results) {
    if (r === 'stored') progress.ingested += 1;
    else if (r === 'duplicate') progress.alreadyHad += 1;
  }
  progress.missing = 0;
  progress.phase = 'listing';
  report();
}

type Cursor = typeof reconcileCursors.$inferSelect;

async function loadCursor(db: Db, environment: Environment): Promise<Cursor | undefined> {
  const [row] = await db.select().from(reconcileCursors).where(eq(reconcileCursors.environment, environment));
  return row;
}

async function saveCursor(db: Db, cursor: Omit<Cursor, 'updatedAt'>): Promise<void> {
  await db
    .insert(reconcileCursors)
    .values(cursor)
    .onConflictDoUpdate({ target: reconcileCursors.environment, set: { ...cursor, updatedAt: new Date() } });
}

async function storedIds(db: Db, environment: Environment, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: events.stripeId })
    .from(events)
    .where(and(eq(events.environment, environment), inArray(events.stripeId, ids)));
  return new Set(rows.map((r) => r.id));
}
