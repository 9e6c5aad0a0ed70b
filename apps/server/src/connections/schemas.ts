import { z } from '@hono/zod-openapi';
import { ENVIRONMENTS } from '../db/schema.js';

export const EnvironmentParam = z
  .enum(ENVIRONMENTS)
  .openapi({ param: { name: 'env', in: 'path' }, example: 'production' });

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
  .openapi({ example: '/stripe/production' });

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
      .openapi({ description: 'Omit to keep the stored key, null to remove it. Write-only.' }),
    webhookEnabled: z.boolean(),
    webhookPath: WebhookPath,
    webhookSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, 'must be a Stripe signing secret (whsec_…)')
      .nullable()
      .optional()
      .openapi({
        description:
          'Omit to keep the stored secret, null to remove it. Write-only. A new secret keeps the old one verifying until previousSecretExpiresAt.',
      }),
    previousSecretExpiresAt: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'When a new webhookSecret replaces one, the old one keeps verifying until then (default: 24 hours from now, as Stripe keeps it valid when rolling).',
      example: '2026-01-02T00:00:00Z',
    }),
  })
  .strict()
  .openapi('ConnectionInput');

export const Connection = z
  .object({
    environment: z.enum(ENVIRONMENTS),
    secretKey: z.string().nullable().openapi({ example: 'sk_test_…4242', description: 'masked' }),
    mode: z.enum(['test', 'live']).nullable().openapi({ description: 'mode of the secret key' }),
    webhookEnabled: z.boolean(),
    webhookPath: z.string().nullable(),
    webhookSecret: z.string().nullable().openapi({ example: 'whsec_…9f3a', description: 'masked' }),
    webhookUrl: z.string().nullable().openapi({ example: 'https://switchyard.example.com/api/stripe/production' }),
    previousWebhookSecretExpiresAt: z.string().nullable().openapi({
      description: 'until when the signing secret before the last rotation still verifies; null when none does',
    }),
    stripeEndpointId: z
      .string()
      .nullable()
      .openapi({ description: 'the Stripe webhook endpoint registered for this environment', example: 'we_1Abc' }),
    warnings: z.array(z.string()),
    lastEventReceivedAt: z.string().nullable(),
    eventCounts: z.record(z.string(), z.number()).openapi({ description: 'stored events by status' }),
    updatedAt: z.string().nullable(),
  })
  .openapi('Connection');

export type ConnectionInput = z.infer<typeof ConnectionInput>;
export type Connection = z.infer<typeof Connection>;
