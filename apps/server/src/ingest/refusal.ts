import type { RejectionReason } from '@switchyard/contract';
import type { Environment } from '../db/schema.js';
import { type IngestOutcome, statusOf } from './ingest.js';

export interface Refusal {
  environment: Environment;
  status: number;
  reason: RejectionReason;
}

const SIGNATURE_REASONS = {
  no_valid_signature: 'bad_signature',
  missing_header: 'missing_signature',
  malformed_header: 'malformed_signature',
  stale_timestamp: 'stale_timestamp',
  no_signing_secret: 'no_signing_secret',
} as const satisfies Record<Extract<IngestOutcome, { kind: 'bad_signature' }>['reason'], RejectionReason>;

/**
 * The refusal a delivery's outcome records, if any. A path no environment owns records nothing: it belongs to no
 * one's list, and recording it would let anyone write into one. Storage being down (503) is Switchyard's failure,
 * not a refusal, and could not be recorded anyway.
 */
export function refusalOf(outcome: IngestOutcome): Refusal | undefined {
  const status = statusOf(outcome);
  switch (outcome.kind) {
    case 'stored':
    case 'duplicate':
    case 'unknown_path':
    case 'unavailable':
      return undefined;
    case 'disabled':
    case 'too_large':
    case 'secret_unreadable':
      return { environment: outcome.environment, status, reason: outcome.kind };
    case 'bad_signature':
      return { environment: outcome.environment, status, reason: SIGNATURE_REASONS[outcome.reason] };
    case 'bad_payload':
      return { environment: outcome.environment, status, reason: outcome.reason };
  }
}
