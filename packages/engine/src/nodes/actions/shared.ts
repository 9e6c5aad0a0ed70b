import { z } from 'zod';
import { NonRetriableError, parseRetryAfter, RetryAfterError, RetryableError } from '../../errors.js';
import { RetryPolicySchema } from '../../retry.js';

/** Optional per-node override of the node's default retry policy. */
export const retryField = RetryPolicySchema.partial().optional().describe('Retry policy for transient failures');

export const TableNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _, starting with a letter')
  .describe('User data table');

export const ValuesSchema = z.record(z.string().min(1).max(64), z.unknown()).describe('Columns to write');

/**
 * Maps a response status to the retry vocabulary: 429 honours Retry-After,
 * 408/409/5xx are transient, any other 4xx is permanent.
 */
export function classifyStatus(
  status: number,
  headers: Record<string, string> | undefined,
  now: number,
  what: string,
): Error | undefined {
  if (status < 400) return undefined;
  const header = headers ? Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1] : undefined;
  if (status === 429) {
    const ms = parseRetryAfter(header, now);
    return ms === undefined
      ? new RetryableError(`${what}: 429 too many requests`)
      : new RetryAfterError(`${what}: 429 too many requests`, ms);
  }
  if (status === 408 || status === 409 || status >= 500) {
    const ms = parseRetryAfter(header, now);
    return ms === undefined
      ? new RetryableError(`${what}: status ${status}`)
      : new RetryAfterError(`${what}: status ${status}`, ms);
  }
  return new NonRetriableError(`${what}: status ${status}`);
}
