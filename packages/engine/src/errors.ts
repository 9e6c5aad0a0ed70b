/**
 * The retry vocabulary (after inngest): a step that throws `RetryableError`
 * (or any error the engine does not know) is retried under its node's policy,
 * `RetryAfterError` says exactly when, and `NonRetriableError` fails the run at once.
 */
import { MAX_RETRY_AFTER_MS } from './retry-after.js';

export { parseRetryAfter } from './retry-after.js';

export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class RetryAfterError extends RetryableError {
  override readonly name: string = 'RetryAfterError';
  /**
   * Milliseconds to wait before the next attempt, within [0, MAX_RETRY_AFTER_MS]; undefined when the
   * given value was not a number (NaN), so the node's usual backoff applies.
   */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterMs = Number.isNaN(retryAfterMs)
      ? undefined
      : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(retryAfterMs)));
  }
}

export class NonRetriableError extends Error {
  override readonly name: string = 'NonRetriableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A `{{ }}` expression that did not parse or evaluate; names node, field and position. */
export class ExpressionError extends NonRetriableError {
  override readonly name: string = 'ExpressionError';
  readonly field: string;
  readonly position: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, info: { field: string; position?: number; code?: string; cause?: unknown }) {
    super(message, { cause: info.cause });
    this.field = info.field;
    this.position = info.position;
    this.code = info.code;
  }
}

/** Run-level limits (steps, loop iterations, total time). */
export class LimitExceededError extends NonRetriableError {
  override readonly name: string = 'LimitExceededError';
  readonly limit: string;
  constructor(limit: string, message: string) {
    super(message);
    this.limit = limit;
  }
}

/** Raised by the `fail` node: the workflow itself decided to stop. */
export class WorkflowFailError extends NonRetriableError {
  override readonly name: string = 'WorkflowFailError';
}

export function isRetryable(err: unknown): boolean {
  return !(err instanceof NonRetriableError);
}

/** A plain, JSON-safe description of an error for step records. */
export interface StepError {
  name: string;
  message: string;
  retryable: boolean;
  field?: string;
  position?: number;
  code?: string;
}

export function describeError(err: unknown): StepError {
  if (err instanceof Error) {
    const out: StepError = { name: err.name, message: err.message, retryable: isRetryable(err) };
    if (err instanceof ExpressionError) {
      out.field = err.field;
      if (err.position !== undefined) out.position = err.position;
      if (err.code !== undefined) out.code = err.code;
    }
    return out;
  }
  return { name: 'Error', message: String(err), retryable: true };
}
