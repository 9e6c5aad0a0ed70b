import Stripe from 'stripe';

export type StripeAccountErrorCode =
  | 'no_secret_key'
  | 'no_webhook_path'
  | 'mode_mismatch'
  | 'not_registered'
  | 'invalid_since'
  | 'stripe_key_rejected'
  | 'stripe_error'
  | 'stripe_unreachable';

/** One error for the account calls; the API maps `status` to the answer, the CLI prints `message`. */
export class StripeAccountError extends Error {
  override name = 'StripeAccountError';
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    readonly code: StripeAccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Stripe's answers as our errors: a rejected key is the caller's to fix (400), anything else is upstream (502). */
export function fromStripeError(error: unknown, what: string): StripeAccountError {
  if (error instanceof StripeAccountError) return error;
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new StripeAccountError(
      400,
      'stripe_key_rejected',
      `Stripe rejected the environment's secret key while trying to ${what}: ${error.message}`,
    );
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new StripeAccountError(502, 'stripe_unreachable', `could not reach Stripe to ${what}: ${error.message}`);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new StripeAccountError(
      502,
      'stripe_error',
      `Stripe answered ${error.statusCode ?? 'an error'} while trying to ${what}: ${error.message}`,
    );
  }
  return new StripeAccountError(
    502,
    'stripe_error',
    `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export function isStripeNotFound(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.statusCode === 404;
}
