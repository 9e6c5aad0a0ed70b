import { ALERT_WINDOW_MS } from '@switchyard/contract';
import type { Database } from '../db/client.js';
import type { Environment } from '../db/schema.js';

export { ALERT_WINDOW_MS };

/**
 * The time that decides a window: the database's `now()`, one clock for every process, so a process whose clock
 * runs ahead cannot take a send another process's window still holds. Tests inject their clock instead ($n not
 * null), to step past a window without waiting ten minutes.
 */
const at = (n: number) => `COALESCE($${n}::timestamptz, now())`;
const due = (n: number) => `alert_sends.last_sent_at <= ${at(n)} - $5 * interval '1 millisecond'`;

/**
 * One decision per occurrence, in one statement, on the row of (environment, cause): so processes sharing the
 * database agree, and a restart forgets nothing. Due when no alert of that cause was sent in the window: the
 * occurrence then takes the send (`last_sent_at = now`, `pending` back to 0) and carries what was held back
 * since the last alert. Otherwise it is counted in `pending` for the next alert.
 */
const CLAIM = `
INSERT INTO alert_sends (environment, cause, last_sent_at, pending, sent_count) VALUES ($1, $2, ${at(3)}, 0, $4)
ON CONFLICT (environment, cause) DO UPDATE SET
  sent_count = CASE WHEN ${due(3)} THEN alert_sends.pending + $4 ELSE alert_sends.sent_count END,
  pending = CASE WHEN ${due(3)} THEN 0 ELSE alert_sends.pending + $4 END,
  last_sent_at = CASE WHEN ${due(3)} THEN ${at(3)} ELSE alert_sends.last_sent_at END
RETURNING pending = 0 AND last_sent_at = ${at(3)} AS send, sent_count, last_sent_at::text AS claimed_at`;

export interface AlertClaim {
  send: boolean;
  /** With `send`: the occurrences this alert reports (this one and those held back since the last alert). */
  count: number;
  environment: Environment;
  cause: string;
  /** With `send`: the window it took, exactly as stored, so only this claim can be given back. */
  claimedAt: string;
}

/** `now`: only tests pass it (see `at` above); otherwise the database's clock decides. */
export async function claimAlert(
  database: Database,
  environment: Environment,
  cause: string,
  now?: Date,
  occurrences = 1,
  windowMs = ALERT_WINDOW_MS,
): Promise<AlertClaim> {
  const [row] = await database.query<{ send: boolean; sent_count: number; claimed_at: string }>(CLAIM, [
    environment,
    cause,
    now?.toISOString() ?? null,
    occurrences,
    windowMs,
  ]);
  return {
    send: row?.send === true,
    count: Number(row?.sent_count ?? occurrences),
    environment,
    cause,
    claimedAt: String(row?.claimed_at),
  };
}

/**
 * An alert that reached no destination gives its window back: the next occurrence of the cause alerts at once,
 * and carries this alert's count, as if it had been held back. Only while no later claim took the row.
 */
const RELEASE = `
UPDATE alert_sends SET last_sent_at = '-infinity', pending = pending + sent_count
WHERE environment = $1 AND cause = $2 AND last_sent_at = $3::timestamptz`;

export async function releaseAlert(database: Database, claim: AlertClaim): Promise<void> {
  await database.query(RELEASE, [claim.environment, claim.cause, claim.claimedAt]);
}

/**
 * Failures held back whose window has passed with nothing after them to carry them: taken in one statement, so
 * of all the processes sweeping, one sends each. Only workflow causes: refusals that go on alert again by
 * themselves, and ones that stopped need no more alerts.
 */
const HELD_BACK = `
UPDATE alert_sends SET sent_count = pending, pending = 0, last_sent_at = ${at(1)}
WHERE pending > 0 AND cause LIKE 'workflow:%' AND last_sent_at <= ${at(1)} - $2 * interval '1 millisecond'
RETURNING environment, cause, sent_count, last_sent_at::text AS claimed_at`;

export async function claimHeldBack(database: Database, now?: Date, windowMs = ALERT_WINDOW_MS): Promise<AlertClaim[]> {
  const rows = await database.query<{
    environment: Environment;
    cause: string;
    sent_count: number;
    claimed_at: string;
  }>(HELD_BACK, [now?.toISOString() ?? null, windowMs]);
  return rows.map((r) => ({
    send: true,
    environment: r.environment,
    cause: r.cause,
    count: Number(r.sent_count),
    claimedAt: r.claimed_at,
  }));
}
