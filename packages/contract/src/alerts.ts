import { z } from 'zod';
import { EnvParams } from './connections.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

export { ALERT_WINDOW_MS, ALERT_WINDOW_TEXT, REFUSAL_ALERT_THRESHOLD } from './alert-limits.js';

/** Why an alert could not go out, for a client to explain in its own words; null when sent or not known. */
export const AlertDeliveryCode = z.enum(['smtp_not_configured']);
export type AlertDeliveryCode = z.infer<typeof AlertDeliveryCode>;

/** An alert to one destination: when it was last tried and how that went. Never the destination's secret. */
export const AlertDelivery = z
  .object({
    at: z.string(),
    ok: z.boolean(),
    error: z.string().nullable().meta({ description: 'why it failed, without credentials' }),
    code: AlertDeliveryCode.nullable()
      .optional()
      .meta({ description: 'smtp_not_configured: the environment has no SMTP server and SMTP_URL is not set' }),
  })
  .meta({ id: 'AlertDelivery' });
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const AlertSettings = z
  .object({
    email: z.string().nullable().meta({ description: 'sent through the environment’s SMTP server' }),
    webhookUrl: z
      .string()
      .nullable()
      .meta({ description: 'masked: scheme, host and the last four characters; the URL may hold a token' }),
    lastDelivery: z
      .object({ email: AlertDelivery.nullable(), webhook: AlertDelivery.nullable() })
      .meta({ description: 'the last alert (or test) sent to each destination' }),
    updatedAt: z.string().nullable(),
  })
  .meta({
    id: 'AlertSettings',
    example: {
      email: 'ops@example.com',
      webhookUrl: 'https://hooks.slack.com/••••9Qa2',
      lastDelivery: { email: { at: '2026-12-01T10:00:00.000Z', ok: true, error: null }, webhook: null },
      updatedAt: '2026-12-01T09:00:00.000Z',
    },
  });
export type AlertSettings = z.infer<typeof AlertSettings>;

export const PutAlertsBody = z
  .object({
    email: z
      .email()
      .max(320)
      .nullable()
      .optional()
      .meta({ description: 'omitted keeps the stored address, null removes it, a value replaces it' }),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .nullable()
      .optional()
      .meta({
        description:
          'an https:// URL that receives a JSON POST, without user name or password; write-only: omitted keeps the stored one, null removes it, a value replaces it. http:// only with ALLOW_PRIVATE_NETWORK_REQUESTS.',
      }),
  })
  .strict()
  .meta({ id: 'PutAlerts' });
export type PutAlertsBody = z.infer<typeof PutAlertsBody>;

export const AlertTestResult = z
  .object({
    email: AlertDelivery.nullable().meta({ description: 'null: no email destination' }),
    webhook: AlertDelivery.nullable().meta({ description: 'null: no webhook destination' }),
  })
  .meta({ id: 'AlertTestResult' });
export type AlertTestResult = z.infer<typeof AlertTestResult>;

export const alertOperations = {
  getAlerts: operation({ ...routes.getAlerts, params: EnvParams, answer: AlertSettings }),
  putAlerts: operation({ ...routes.putAlerts, params: EnvParams, body: PutAlertsBody, answer: AlertSettings }),
  testAlert: operation({ ...routes.testAlert, params: EnvParams, answer: AlertTestResult }),
};
