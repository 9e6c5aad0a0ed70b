import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

export const EnvParams = z.object({ env: Environment });

/** URL-safe, rooted, no empty or dot segments: what Stripe accepts in an endpoint URL and what we can route on. */
export const WebhookPath = z
  .string()
  .max(200)
  .regex(
    /^(\/[A-Za-z0-9_~.-]+)+$/,
    'must start with "/" and use only letters, digits and - _ . ~ in segments separated by single "/"',
  )
  .refine(
    (p) => !p.split('/').some((segment) => segment === '.' || segment === '..'),
    'must not contain "." or ".." segments',
  )
  .meta({ example: '/stripe/production' });

export const ConnectionInput = z
  .object({
    secretKey: z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/,
        'must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)',
      )
      .nullable()
      .optional()
      .meta({ description: 'Omit to keep the stored key, null to remove it. Write-only.' }),
    webhookEnabled: z.boolean(),
    webhookPath: WebhookPath,
    webhookSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, 'must be a Stripe signing secret (whsec_…)')
      .nullable()
      .optional()
      .meta({
        description:
          'Omit to keep the stored secret, null to remove it. Write-only. A new secret keeps the old one verifying until previousSecretExpiresAt.',
      }),
    previousSecretExpiresAt: z.iso.datetime({ offset: true }).optional().meta({
      description:
        'When a new webhookSecret replaces one, the old one keeps verifying until then (default: 24 hours from now, as Stripe keeps it valid when rolling).',
      example: '2026-01-02T00:00:00Z',
    }),
  })
  .strict()
  .meta({ id: 'ConnectionInput' });
export type ConnectionInput = z.infer<typeof ConnectionInput>;

export const Connection = z
  .object({
    environment: Environment,
    secretKey: z.string().nullable().meta({ example: 'sk_test_…4242', description: 'masked' }),
    mode: z.enum(['test', 'live']).nullable().meta({ description: 'mode of the secret key' }),
    webhookEnabled: z.boolean(),
    webhookPath: z.string().nullable(),
    webhookSecret: z.string().nullable().meta({ example: 'whsec_…9f3a', description: 'masked' }),
    webhookUrl: z.string().nullable().meta({ example: 'https://switchyard.example.com/api/stripe/production' }),
    previousWebhookSecretExpiresAt: z.string().nullable().meta({
      description: 'until when the signing secret before the last rotation still verifies; null when none does',
    }),
    stripeEndpointId: z
      .string()
      .nullable()
      .meta({ description: 'the Stripe webhook endpoint registered for this environment', example: 'we_1Abc' }),
    warnings: z.array(z.string()),
    lastEventReceivedAt: z.string().nullable(),
    eventCounts: z
      .record(z.string(), z.number())
      .meta({ description: 'the newest 1,000 stored events (test samples excluded) by status' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Connection' });
export type Connection = z.infer<typeof Connection>;

export const connectionOperations = {
  getConnection: operation({ ...routes.getConnection, params: EnvParams, answer: Connection }),
  putConnection: operation({ ...routes.putConnection, params: EnvParams, body: ConnectionInput, answer: Connection }),
};
