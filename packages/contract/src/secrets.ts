import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

/**
 * The engine's MIN_SECRET_LENGTH: its redaction masks every stored value, and a shorter one would mask ordinary
 * words. Kept here as a number so the contract does not load the engine's main entry.
 */
export const MIN_SECRET_LENGTH = 4;

/** Upper-case letters, digits and _, starting with a letter, as environment variables are named. */
export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SettingName = z
  .string()
  .regex(SECRET_NAME, 'upper-case letters, digits and _, starting with a letter, at most 64 characters');

const EnvParams = z.object({ env: Environment });
const NamedParams = z.object({ env: Environment, name: SettingName });

export const Secret = z
  .object({
    name: z.string(),
    masked: z.string().meta({ description: 'the last four characters of a long value, dots otherwise' }),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Secret',
    example: { name: 'SLACK_WEBHOOK_URL', masked: '••••x9Qa', updatedAt: '2026-01-01T00:00:00Z' },
  });
export type Secret = z.infer<typeof Secret>;

export const Variable = z
  .object({ name: z.string(), value: z.unknown(), updatedAt: z.string() })
  .meta({ id: 'Variable' });
export type Variable = z.infer<typeof Variable>;

export const PutSecretBody = z.object({
  value: z
    .string()
    .min(MIN_SECRET_LENGTH, `a secret has at least ${MIN_SECRET_LENGTH} characters`)
    .max(8_000)
    .meta({ description: 'write-only: never answered' }),
});
// The body is parsed JSON, so any value present is a JSON value.
export const PutVariableBody = z.object({
  value: z
    .unknown()
    .refine((v) => v !== undefined, 'required')
    .meta({ description: 'any JSON value' }),
});

export const secretOperations = {
  listSecrets: operation({ ...routes.listSecrets, params: EnvParams, answer: z.array(Secret) }),
  putSecret: operation({ ...routes.putSecret, params: NamedParams, body: PutSecretBody, answer: Secret }),
  deleteSecret: operation({ ...routes.deleteSecret, params: NamedParams, answer: null }),
  listVars: operation({ ...routes.listVars, params: EnvParams, answer: z.array(Variable) }),
  putVar: operation({ ...routes.putVar, params: NamedParams, body: PutVariableBody, answer: Variable }),
  deleteVar: operation({ ...routes.deleteVar, params: NamedParams, answer: null }),
};

export const SmtpSettings = z
  .object({
    url: z.string().nullable().meta({ description: 'the server URL with its password masked; null: SMTP_URL applies' }),
    from: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'SmtpSettings' });
export type SmtpSettings = z.infer<typeof SmtpSettings>;

export const PutSmtpBody = z.object({
  url: z
    .string()
    .max(2_000)
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
    .nullable()
    .optional()
    .meta({ description: 'write-only; omitted keeps the stored URL, null removes the settings' }),
  from: z.string().max(320).nullable(),
});

export const smtpOperations = {
  getSmtp: operation({ ...routes.getSmtp, params: EnvParams, answer: SmtpSettings }),
  putSmtp: operation({ ...routes.putSmtp, params: EnvParams, body: PutSmtpBody, answer: SmtpSettings }),
  testSmtp: operation({
    ...routes.testSmtp,
    params: EnvParams,
    body: z.object({ to: z.email() }),
    answer: z.object({ messageId: z.string().nullable() }),
  }),
};
