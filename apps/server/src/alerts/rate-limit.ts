import type { Database } from '../db/client.js';
import type { Environment } from '../db/schema.js';

export const ALERT_WINDOW_MS = 10 * 60 * 1000;

/**
 * One decision per occurrence, in one statement, on the row of (environment, cause): so processes sharing the
 * database agree, and a restart forgets nothing. Due when no alert of that cause was sent in the window: the
 * occurrence then takes the send (`last_sent_at = now`, `pending` back to 0) and carries what was held back
 * since the last alert. Otherwise it is counted in `pending` for the next alert.
 */
const CLAIM = `
INSERT INTO alert_sends (environment, cause, last_sent_at, pending, sent_count) VALUES ($1, $2, $3::timestamptz, 0, $4)
ON CONFLICT (environment, cause) DO UPDATE SET
  sent_count = CASE WHEN alert_sends.last_sent_at <= $3::timestamptz - $5 * interval '1 millisecond'
               THEN alert_sends.pending + $4 ELSE alert_sends.sent_count END,
  pending = CASE WHEN alert_sends.last_sent_at <= $3::timestamptz - $5 * interval '1 millisecond'
            THEN 0 ELSE alert_sends.pending + $4 END,
  last_sent_at = CASE WHEN alert_sends.last_sent_at <= $3::timestamptz - $5 * interval '1 millisecond'
                 THEN $3::timestamptz ELSE alert_sends.last_sent_at END
RETURNING pending = 0 AND last_sent_at = $3::timestamptz AS send, sent_count`;

export interface AlertClaim {
  send: boolean;
  /** With `send`: the occurrences this alert reports (this one and those held back since the last alert). */
  count: number;
}

export async function claimAlert(
  database: Database,
  environment: Environment,
  cause: string,
  now: Date,
  occurrences = 1,
  windowMs = ALERT_WINDOW_MS,
): Promise<AlertClaim> {
  const [row] = await database.query<{ send: boolean; sent_count: number }>(CLAIM, [
    environment,
    cause,
    now.toISOString(),
    occurrences,
    windowMs,
  ]);
  return { send: row?.send === true, count: Number(row?.sent_count ?? occurrences) };
}

/**
 * Failures held back whose window has passed with nothing after them to carry them: taken in one statement, so
 * of all the processes sweeping, one sends each. Only workflow causes: refusals that go on alert again by
 * themselves, and ones that stopped need no more alerts.
 */
const HELD_BACK = `
UPDATE alert_sends SET sent_count = pending, pending = 0, last_sent_at = $1::timestamptz
WHERE pending > 0 AND cause LIKE 'workflow:%' AND last_sent_at <= $1::timestamptz - $2 * interval '1 millisecond'
RETURNING environment, cause, sent_count`;

export async function claimHeldBack(
  database: Database,
  now: Date,
  windowMs = ALERT_WINDOW_MS,
): Promise<{ environment: Environment; cause: string; count: number }[]> {
  const rows = await database.query<{ environment: Environment; cause: string; sent_count: number }>(HELD_BACK, [
    now.toISOString(),
    windowMs,
  ]);
  return rows.map((r) => ({ environment: r.environment, cause: r.cause, count: Number(r.sent_count) }));
}
