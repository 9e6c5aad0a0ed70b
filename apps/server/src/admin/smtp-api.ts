import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { SmtpSettingsService } from '../secrets/smtp.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const tags = ['email'];
const routes = {
  get: createRoute(
    contractRoute(operations.getSmtp, {
      tags,
      summary: "An environment's SMTP server for email nodes, its password masked",
      answered: 'the settings; url null when SMTP_URL applies',
    }),
  ),
  put: createRoute(
    contractRoute(operations.putSmtp, {
      tags,
      summary: "Set an environment's SMTP server (stored encrypted) and sender",
      answered: 'the settings, masked',
      errors: { 400: errorAnswer('invalid_request') },
    }),
  ),
  test: createRoute(
    contractRoute(operations.testSmtp, {
      tags,
      summary: "Send a test email through the environment's SMTP server",
      answered: 'sent',
      errors: {
        400: errorAnswer('invalid_request'),
        502: errorAnswer('smtp_error: no server, or the server refused or could not be reached'),
      },
    }),
  ),
};

export function smtpApi(
  smtp: SmtpSettingsService,
  fallback: { smtpUrl: string | undefined; from?: string | undefined },
) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.get, async (c) => c.json(await smtp.get(c.req.valid('param').env), 200))
    .openapi(routes.put, async (c) => c.json(await smtp.put(c.req.valid('param').env, c.req.valid('json')), 200))
    .openapi(routes.test, async (c) => {
      try {
        return c.json(await smtp.sendTest(c.req.valid('param').env, c.req.valid('json').to, fallback), 200);
      } catch (error) {
        return c.json(failure('smtp_error', error instanceof Error ? error.message : String(error)), 502);
      }
    });
}
