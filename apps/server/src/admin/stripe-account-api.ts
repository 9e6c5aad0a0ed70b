import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { EnvironmentParam } from '../connections/schemas.js';
import { StripeAccountError } from '../stripe-account/errors.js';
import type { StripeAccountService } from '../stripe-account/service.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';

const params = z.object({ env: EnvironmentParam });
const errors = {
  400: {
    description: 'invalid input, no secret key or webhook path, or Stripe rejected the key',
    content: { 'application/json': { schema: ErrorBody } },
  },
  502: {
    description: 'Stripe could not be reached or answered with an error',
    content: { 'application/json': { schema: ErrorBody } },
  },
} as const;

const RegisterInput = z
  .object({
    confirm: z.boolean().optional().openapi({
      description:
        'Register although the key mode does not fit the environment (a live key in editor or staging, a test key in production).',
    }),
  })
  .strict()
  .openapi('StripeRegisterInput');

const RegisterAnswer = z
  .object({
    endpointId: z.string().openapi({ example: 'we_1Abc' }),
    status: z.string().openapi({ description: "Stripe's status of the endpoint", example: 'enabled' }),
    enabledEvents: z.array(z.string()).openapi({ example: ['invoice.paid', 'invoice.payment_failed'] }),
    url: z.string(),
    created: z.boolean().openapi({
      description: 'true when a new endpoint was created, false when the existing one was updated in place',
    }),
    mode: z.enum(['test', 'live']),
    account: z.object({ id: z.string(), name: z.string().nullable() }),
    warnings: z.array(z.string()),
  })
  .openapi('StripeRegistration');

const StatusAnswer = z
  .object({
    registered: z.boolean(),
    endpointId: z.string().nullable(),
    status: z.string().nullable().openapi({
      description: "Stripe's status (enabled, disabled); null when not registered or Stripe could not be asked",
    }),
    enabledEvents: z.array(z.string()),
    neededEvents: z.array(z.string()).openapi({ description: 'what the deployed workflows need now' }),
    url: z.string().nullable().openapi({ description: 'the URL Stripe delivers to' }),
    webhookUrl: z.string().nullable(),
    registeredAt: z.string().nullable(),
    lastEventReceivedAt: z.string().nullable(),
    lastReconciledAt: z.string().nullable().openapi({ description: 'end of the last scheduled reconcile' }),
    stripeError: z.string().nullable(),
  })
  .openapi('StripeRegistrationStatus');

const ReconcileInput = z
  .object({
    since: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .openapi({ description: 'unix seconds; default 3 days ago; at most 30 days back', example: 1767225600 }),
  })
  .strict()
  .openapi('StripeReconcileInput');

const ReconcileAnswer = z
  .object({ scanned: z.number().int(), ingested: z.number().int(), alreadyHad: z.number().int() })
  .openapi('StripeReconcileResult');

const register = createRoute({
  method: 'post',
  path: '/environments/{env}/stripe/register',
  tags: ['stripe account'],
  summary: "Find or create the Stripe webhook endpoint for the environment's webhookUrl and update it in place",
  description:
    'Checks the key (GET /v1/account) and its mode, looks for the endpoint registered before (stored id, then metadata switchyard_environment + URL, then URL), updates it or creates it with the event types the deployed workflows need, and stores the signing secret of a new endpoint, encrypted. Never deletes and recreates.',
  request: { params, body: { required: false, content: { 'application/json': { schema: RegisterInput } } } },
  responses: {
    200: { description: 'the registered endpoint', content: { 'application/json': { schema: RegisterAnswer } } },
    409: {
      description: 'the key mode does not fit the environment; repeat with confirm: true',
      content: { 'application/json': { schema: ErrorBody } },
    },
    ...errors,
  },
});

const status = createRoute({
  method: 'get',
  path: '/environments/{env}/stripe/register',
  tags: ['stripe account'],
  summary: "The registered endpoint: id, Stripe's status, enabled events, last event received",
  request: { params },
  responses: { 200: { description: 'registration status', content: { 'application/json': { schema: StatusAnswer } } } },
});

const deregister = createRoute({
  method: 'delete',
  path: '/environments/{env}/stripe/register',
  tags: ['stripe account'],
  summary:
    'Delete the registered endpoint at Stripe and clear its state (endpoint id, signing secret; the webhook is disabled)',
  request: { params },
  responses: {
    200: {
      description: 'deregistered',
      content: {
        'application/json': {
          schema: z.object({
            endpointId: z.string(),
            deleted: z.boolean().openapi({ description: 'false when Stripe no longer had it' }),
          }),
        },
      },
    },
    404: { description: 'nothing is registered', content: { 'application/json': { schema: ErrorBody } } },
    ...errors,
  },
});

const reconcile = createRoute({
  method: 'post',
  path: '/environments/{env}/stripe/reconcile',
  tags: ['stripe account'],
  summary: "List Stripe's events since `since` and ingest the missing ones through the same inbox as webhooks",
  request: { params, body: { required: false, content: { 'application/json': { schema: ReconcileInput } } } },
  responses: {
    200: { description: 'counts', content: { 'application/json': { schema: ReconcileAnswer } } },
    ...errors,
  },
});

export function stripeAccountApi(account: StripeAccountService) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError((error, c) => {
    if (error instanceof StripeAccountError) return c.json({ error: error.code, message: error.message }, error.status);
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
