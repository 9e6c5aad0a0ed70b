import { z } from 'zod';
import { NonRetriableError } from '../../errors.js';
import { defineNode, MAIN_OUTPUT } from '../../registry.js';
import { DEFAULT_RETRY } from '../../retry.js';
import { asOptionalText, asRecord } from '../values.js';
import { classifyStatus, retryField } from './shared.js';

export const STRIPE_RESOURCES = {
  customers: '/v1/customers',
  subscriptions: '/v1/subscriptions',
  invoices: '/v1/invoices',
  payment_intents: '/v1/payment_intents',
  charges: '/v1/charges',
  products: '/v1/products',
  prices: '/v1/prices',
  checkout_sessions: '/v1/checkout/sessions',
} as const;

type Resource = keyof typeof STRIPE_RESOURCES;

export const stripeRequestNode = defineNode({
  type: 'stripe.request',
  version: 1,
  category: 'integrations',
  label: 'Stripe API',
  description:
    'Retrieves, lists or updates a Stripe object with the environment key; updates carry an idempotency key.',
  config: z
    .object({
      operation: z.enum(['retrieve', 'list', 'update']).default('retrieve'),
      resource: z.enum(Object.keys(STRIPE_RESOURCES) as [Resource, ...Resource[]]),
      id: z
        .string()
        .max(255)
        .optional()
        .describe('Object id for retrieve/update, e.g. {{ context.event.object.customer }}'),
      params: z
        .record(z.string(), z.unknown())
        .default({})
        .describe('Query (retrieve/list) or body (update) parameters'),
      retry: retryField,
    })
    .superRefine((c, ctx) => {
      if (c.operation !== 'list' && !c.id)
        ctx.addIssue({ code: 'custom', path: ['id'], message: `required for ${c.operation}` });
    }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'credit-card',
  summary: (c) => `${String(c.operation ?? 'retrieve')} ${String(c.resource ?? '…')}`,
  // Retrieve and list change nothing, but update does, and the flag is per type.
  externalEffects: true,
  ui: {
    fields: {
      operation: { label: 'Operation' },
      resource: { label: 'Resource' },
      id: { label: 'Object id', placeholder: '{{ context.event.object.customer }}' },
      params: { label: 'Parameters' },
      retry: { label: 'Retries', advanced: true },
    },
  },
  async run({ config, ports, nodeId, idempotencyKey }) {
    const base = STRIPE_RESOURCES[config.resource];
    let path: string = base;
    if (config.operation !== 'list') {
      const id = asOptionalText(config.id, 'id', nodeId);
      // The id comes from an expression; refuse anything that could change the path.
      if (!id || !/^[A-Za-z0-9_]+$/.test(id)) {
        throw new NonRetriableError(`nodes[${nodeId}].config.id: not a Stripe id: ${String(id).slice(0, 80)}`);
      }
      path = `${base}/${id}`;
    }
    const method = config.operation === 'update' ? 'POST' : 'GET';
    const params = asRecord(config.params, 'params', nodeId);
    const res = await ports.stripe.request({
      method,
      path,
      params,
      ...(method === 'POST' ? { idempotencyKey } : {}),
    });
    const err = classifyStatus(res.status, res.headers, ports.now(), `Stripe ${method} ${path}`);
    if (err) {
      const detail = (res.body as { error?: { message?: string } } | null)?.error?.message;
      if (detail) err.message += `: ${detail}`;
      throw err;
    }
    return { output: res.body };
  },
});
