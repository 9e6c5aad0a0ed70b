/** Pure helpers of the Stripe endpoint section: the status chip, event drift, the recover ranges. */
import type { Environment, StripeRegistrationStatus } from '../api/types.js';

export type ChipTone = 'ok' | 'warn' | 'error' | 'muted';

export interface EndpointChip {
  label: string;
  tone: ChipTone;
}

/** The chip for a registration status: Not registered, Enabled, Disabled, Error, or Stripe's own word. */
export function endpointChip(
  status: Pick<StripeRegistrationStatus, 'registered' | 'status' | 'stripeError'> | undefined,
): EndpointChip {
  if (!status?.registered) return { label: 'Not registered', tone: 'muted' };
  if (status.stripeError) return { label: 'Error', tone: 'error' };
  switch (status.status) {
    case 'enabled':
      return { label: 'Enabled', tone: 'ok' };
    case 'disabled':
      return { label: 'Disabled', tone: 'error' };
    case null:
      // Registered, but Stripe was not asked (no secret key any more).
      return { label: 'Registered', tone: 'warn' };
    default:
      return { label: status.status.charAt(0).toUpperCase() + status.status.slice(1), tone: 'warn' };
  }
}

/** The badge class of a tone, reusing the status colours of StatusBadge. */
export function toneClass(tone: ChipTone): string {
  return { ok: 'status-succeeded', warn: 'status-pending', error: 'status-failed', muted: 'status-skipped' }[tone];
}

export interface EventDrift {
  /** Needed by the deployed workflows but not enabled on the endpoint. */
  missing: string[];
  /** Enabled on the endpoint but no longer needed. */
  extra: string[];
}

/** What differs between the endpoint's enabled events and what the workflows need ('*' enables everything). */
export function eventDrift(enabled: readonly string[], needed: readonly string[]): EventDrift {
  const on = new Set(enabled);
  const want = new Set(needed);
  const missing = on.has('*') ? [] : needed.filter((t) => !on.has(t));
  const extra = enabled.filter((t) => t !== '*' && !want.has(t));
  return { missing: [...new Set(missing)].sort(), extra: [...new Set(extra)].sort() };
}

export const RECOVER_RANGES = [
  { id: '24h', label: 'Last 24 hours', hours: 24 },
  { id: '3d', label: 'Last 3 days', hours: 72 },
  { id: '7d', label: 'Last 7 days', hours: 168 },
  { id: '30d', label: 'Last 30 days', hours: 720 },
] as const;

export type RecoverRangeId = (typeof RECOVER_RANGES)[number]['id'];

/** Stripe keeps events for 30 days; the server refuses older `since` values (with a minute of slack). */
const MAX_BACK_SECONDS = 30 * 24 * 3600;
/** Room for clock skew between this browser and the server on the 30-day range. */
const SKEW_SECONDS = 5 * 60;

/** The `since` (unix seconds) of a range, never further back than the server accepts. */
export function sinceFor(range: RecoverRangeId, nowMs: number = Date.now()): number {
  const hours = RECOVER_RANGES.find((r) => r.id === range)?.hours ?? 72;
  const back = Math.min(hours * 3600, MAX_BACK_SECONDS - SKEW_SECONDS);
  return Math.floor(nowMs / 1000) - back;
}

/** "12 s", "1 min 05 s". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Why a key of the wrong mode is risky here, in the user's words (the server's message says what, not why). */
export function mismatchRisk(env: Environment, mode: 'test' | 'live' | null): string {
  if (env === 'production' || mode === 'test') {
    return 'Production workflows would receive only test-mode events: real payments, invoices and subscriptions would not reach them.';
  }
  return `Events from your live Stripe account would run the ${env} workflows, which may be drafts: their emails, HTTP calls and Stripe actions would act on real customers and real money.`;
}

/** What a mode_mismatch answer means, said from the environment and the key mode (never parsed from the message). */
export function mismatchMessage(env: Environment, mode: 'test' | 'live' | null): string {
  const name = `${env.charAt(0).toUpperCase()}${env.slice(1)}`;
  if (env === 'production' || mode === 'test') return `${name} uses a test-mode key.`;
  return `${name} uses a live-mode key.`;
}
