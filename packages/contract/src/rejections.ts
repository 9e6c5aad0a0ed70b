import { z } from 'zod';
import { EnvParams } from './connections.js';
import { operation } from './operation.js';
import { REJECTION_REASONS, REJECTIONS_KEPT, type RejectionReason as Reason } from './rejection-hints.js';
import { routes } from './routes.js';

export * from './rejection-hints.js';

export const RejectionReason = z.enum(REJECTION_REASONS);
export type RejectionReason = Reason;

export const Rejection = z
  .object({
    at: z.string().meta({ description: 'when it was refused (ISO 8601)' }),
    status: z.number().int().meta({ description: 'the HTTP status it was answered with' }),
    reason: RejectionReason,
  })
  .meta({ id: 'Rejection', example: { at: '2026-12-01T10:00:00.000Z', status: 400, reason: 'bad_signature' } });
export type Rejection = z.infer<typeof Rejection>;

export const rejectionOperations = {
  listRejections: operation({
    ...routes.listRejections,
    params: EnvParams,
    answer: z.array(Rejection).max(REJECTIONS_KEPT),
  }),
};
