import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { StripeAccountError } from '../stripe-account/errors.js';
import type { StripeAccountService } from '../stripe-account/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const errors = {
  400: errorAnswer(
    'no_secret_key, no_webhook_path, invalid_since, invalid_request, or stripe_key_rejected: Stripe rejected the key',
  ),
  502: errorAnswer('stripe_unreachable or stripe_error: Stripe could not be reached or answered with an error'),
};

const register = createRoute(
  contractRoute(operations.registerStripe, {
    tags: ['stripe account'],
    summary: "Find or create the Stripe webhook endpoint for the environment's webhookUrl and update it in place",
    description:
      'Checks the key (GET /v1/account) and its mode, looks for the endpoint registered before (stored id, then metadata switchyard_environment + URL, then URL), updates it or creates it with the event types the deployed workflows need, and stores the signing secret of a new endpoint, encrypted. Never deletes and recreates.',
    answered: 'the registered endpoint',
    bodyOptional: true,
    errors: {
      ...errors,
      409: errorAnswer('mode_mismatch: the key mode does not fit the environment; repeat with confirm: true'),
    },
  }),
);

const status = createRoute(
  contractRoute(operations.stripeRegistration, {
    tags: ['stripe account'],
    summary: "The registered endpoint: id, Stripe's status, enabled events, last event received",
    answered: 'registration status',
  }),
);

const deregister = createRoute(
  contractRoute(operations.deregisterStripe, {
    tags: ['stripe account'],
    summary:
      'Delete the registered endpoint at Stripe and clear its state (endpoint id, signing secret; the webhook is disabled)',
    answered: 'deregistered',
    errors: { ...errors, 404: errorAnswer('not_registered: nothing is registered') },
  }),
);

const reconcile = createRoute(
  contractRoute(operations.reconcileStripe, {
    tags: ['stripe account'],
    summary: "List Stripe's events since `since` and ingest the missing ones through the same inbox as webhooks",
    answered: 'counts',
    bodyOptional: true,
    errors,
  }),
);

export function stripeAccountApi(account: StripeAccountService) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => {
    if (error instanceof StripeAccountError) return c.json(failure(error.code, error.message), error.status);
    throw error;
  });
  return (
    app
      // Both bodies are optional: without a JSON content type they validate as {}.
      .openapi(register, async (c) =>
        c.json(await account.register(c.req.valid('param').env, c.req.valid('json')), 200),
      )
      .openapi(status, async (c) => c.json(await account.status(c.req.valid('param').env), 200))
      .openapi(deregister, async (c) => c.json(await account.deregister(c.req.valid('param').env), 200))
      .openapi(reconcile, async (c) => {
        const body = c.req.valid('json');
        return c.json(
          await account.reconcile(c.req.valid('param').env, body.since === undefined ? {} : { since: body.since }),
          200,
        );
      })
  );
}
