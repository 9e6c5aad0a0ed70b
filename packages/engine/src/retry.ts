/** Per-node retry policy: attempts with exponential backoff. */
import { z } from 'zod';
import { MAX_RETRY_AFTER_MS } from './retry-after.js';

export const RetryPolicySchema = z
  .object({
    /** Total attempts including the first; 1 disables retries. */
    attempts: z.number().int().min(1).max(20).default(3),
    /** Delay before the second attempt. */
    backoffMs: z.number().int().min(0).max(3_600_000).default(1_000),
    factor: z.number().min(1).max(10).default(2),
    maxBackoffMs: z.number().int().min(0).max(86_400_000).default(300_000),
  })
  .describe('Retry policy for transient failures (network errors, 5xx, 429)');

export type RetryPolicy = z.output<typeof RetryPolicySchema>;

export const NO_RETRY: RetryPolicy = { attempts: 1, backoffMs: 0, factor: 1, maxBackoffMs: 0 };
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 1_000, factor: 2, maxBackoffMs: 300_000 };

/** Delay after the given failed attempt (1-based): backoffMs * factor^(attempt-1), capped. */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number): number {
  const raw = policy.backoffMs * policy.factor ** Math.max(0, failedAttempt - 1);
  return Math.min(policy.maxBackoffMs, Math.round(raw));
}

/**
 * Delay before the next attempt: what the failed call asked for (`Retry-After`), bounded by the policy's
 * `maxBackoffMs` and `MAX_RETRY_AFTER_MS`, else the policy's backoff. Always a finite number of ms >= 0.
 */
export function retryDelay(policy: RetryPolicy, failedAttempt: number, requestedMs?: number): number {
  const delay =
    requestedMs !== undefined && !Number.isNaN(requestedMs)
      ? Math.min(requestedMs, policy.maxBackoffMs, MAX_RETRY_AFTER_MS)
      : backoffDelay(policy, failedAttempt);
  return Number.isFinite(delay) ? Math.max(0, delay) : MAX_RETRY_AFTER_MS;
}
