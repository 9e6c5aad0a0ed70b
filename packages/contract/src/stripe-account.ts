import { z } from 'zod';
import { EnvParams } from './connections.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

export const RegisterInput = z
  .object({
    confirm: z.boolean().optional().meta({
      description:
        'Register although the key mode does not fit the environment (a live key in editor or staging, a test key in production).',
    }),
  })
  .strict()
  .meta({ id: 'StripeRegisterInput' });

export const StripeRegistration = z
  .object({
    endpointId: z.string().meta({ example: 'we_1Abc' }),
    status: z.string().meta({ description: "Stripe's status of the endpoint", example: 'enabled' }),
    enabledEvents: z.array(z.string()).meta({ example: ['invoice.paid', 'invoice.payment_failed'] }),
    url: z.string(),
    created: z.boolean().meta({
      description: 'true when a new endpoint was created, false when the existing one was updated in place',
    }),
    mode: z.enum(['test', 'live']),
    account: z.object({ id: z.string(), name: z.string().nullable() }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'StripeRegistration' });
export type StripeRegistration = z.infer<typeof StripeRegistration>;

export const StripeRegistrationStatus = z
  .object({
    registered: z.boolean(),
    endpointId: z.string().nullable(),
    status: z.string().nullable().meta({
      description: "Stripe's status (enabled, disabled); null when not registered or Stripe could not be asked",
    }),
    enabledEvents: z.array(z.string()),
    neededEvents: z.array(z.string()).meta({ description: 'what the deployed workflows need now' }),
    url: z.string().nullable().meta({ description: 'the URL Stripe delivers to' }),
    webhookUrl: z.string().nullable(),
    registeredAt: z.string().nullable(),
    lastEventReceivedAt: z.string().nullable(),
    lastReconciledAt: z.string().nullable().meta({ description: 'end of the last scheduled reconcile' }),
    stripeError: z.string().nullable(),
  })
  .meta({ id: 'StripeRegistrationStatus' });
export type StripeRegistrationStatus = z.infer<typeof StripeRegistrationStatus>;

export const StripeDeregistration = z.object({
  endpointId: z.string(),
  deleted: z.boolean().meta({ description: 'false when Stripe no longer had it' }),
});
export type StripeDeregistration = z.infer<typeof StripeDeregistration>;

export const ReconcileInput = z
  .object({
    since: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ description: 'unix seconds; default 3 days ago; at most 30 days back', example: 1767225600 }),
  })
  .strict()
  .meta({ id: 'StripeReconcileInput' });

export const ReconcileResult = z
  .object({ scanned: z.number().int(), ingested: z.number().int(), alreadyHad: z.number().int() })
  .meta({ id: 'StripeReconcileResult' });
export type ReconcileResult = z.infer<typeof ReconcileResult>;

export const stripeAccountOperations = {
  registerStripe: operation({
    ...routes.registerStripe,
    params: EnvParams,
    body: RegisterInput,
    answer: StripeRegistration,
  }),
  stripeRegistration: operation({ ...routes.stripeRegistration, params: EnvParams, answer: StripeRegistrationStatus }),
  deregisterStripe: operation({ ...routes.deregisterStripe, params: EnvParams, answer: StripeDeregistration }),
  reconcileStripe: operation({
    ...routes.reconcileStripe,
    params: EnvParams,
    body: ReconcileInput,
    answer: ReconcileResult,
  }),
};
