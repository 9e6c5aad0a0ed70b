import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { AlertService } from '../alerts/service.js';
import { type AlertSettingsService, webhookUrlRefusal } from '../alerts/settings.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const tags = ['alerts'];
const routes = {
  get: createRoute(
    contractRoute(operations.getAlerts, {
      tags,
      summary: "Where an environment's alerts go, the webhook URL masked, with each destination's last delivery",
      answered: 'the alert settings',
    }),
  ),
  put: createRoute(
    contractRoute(operations.putAlerts, {
      tags,
      summary: 'Set where dead-lettered runs and repeatedly refused deliveries are reported',
      answered: 'the alert settings, masked',
      errors: { 400: errorAnswer('invalid_request') },
    }),
  ),
  test: createRoute(
    contractRoute(operations.testAlert, {
      tags,
      summary: 'Send a test alert to every destination of the environment now',
      answered: 'how each destination took it; a failed one has ok false and the reason',
      errors: { 400: errorAnswer('no_alert_destination: set an email address or a webhook URL first') },
    }),
  ),
};

export function alertsApi(settings: AlertSettingsService, alerts: AlertService, o: { allowHttpWebhooks: boolean }) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(routes.get, async (c) => c.json(await settings.get(c.req.valid('param').env), 200))
    .openapi(routes.put, async (c) => {
      const body = c.req.valid('json');
      const refusal = body.webhookUrl ? webhookUrlRefusal(body.webhookUrl, o.allowHttpWebhooks) : undefined;
      if (refusal) return c.json(failure('invalid_request', refusal, [{ path: 'webhookUrl', message: refusal }]), 400);
      return c.json(await settings.put(c.req.valid('param').env, body), 200);
    })
    .openapi(routes.test, async (c) => {
      const result = await alerts.sendTest(c.req.valid('param').env);
      if (!result)
        return c.json(
          failure('no_alert_destination', 'this environment has no alert email address or webhook URL'),
          400,
        );
      return c.json(result, 200);
    });
}
