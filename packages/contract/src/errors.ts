import { z } from 'zod';

/**
 * Every `error` an admin API answer can carry. Clients switch on these, never on `message`, which is for people
 * and may change.
 */
export const ERROR_CODES = [
  // any call
  'invalid_request',
  'unauthorized',
  'not_found',
  'forbidden_origin',
  'payload_too_large',
  'too_many_attempts',
  'internal',
  // connections
  'path_taken',
  // workflows and executions
  'invalid_workflow',
  'invalid_event',
  'not_retryable',
  'version_conflict',
  // the Stripe account calls
  'no_secret_key',
  'no_webhook_path',
  'mode_mismatch',
  'not_registered',
  'invalid_since',
  'stripe_key_rejected',
  'stripe_error',
  'stripe_unreachable',
  // the environment's SMTP test email
  'smtp_error',
  // alerts
  'no_alert_destination',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCode = z.enum(ERROR_CODES);

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

export const ErrorBody = z
  .object({
    error: ErrorCode.meta({ description: 'a stable code to switch on' }),
    message: z.string().meta({ description: 'for people; may change' }),
    issues: z.array(Issue).optional().meta({ description: 'with invalid_request and invalid_workflow: each field' }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
