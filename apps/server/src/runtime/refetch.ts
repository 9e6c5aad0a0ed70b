import {
  isTriggerType,
  NonRetriableError,
  RetryableError,
  type StripePort,
  type WorkflowDocument,
} from '@switchyard/engine';

/** Stripe object type (the object's `object` field) → its retrieve path. */
export const REFETCH_RESOURCES: Readonly<Record<string, string>> = {
  invoice: 'invoices',
  customer: 'customers',
  subscription: 'subscriptions',
  charge: 'charges',
  payment_intent: 'payment_intents',
  'checkout.session': 'checkout/sessions',
  product: 'products',
  price: 'prices',
  dispute: 'disputes',
  refund: 'refunds',
};

type EventLike = {
  data?: { object?: { id?: unknown; object?: unknown } & Record<string, unknown> } & Record<string, unknown>;
} & Record<string, unknown>;

/** Whether the workflow's trigger asks for "Use the latest object from Stripe". */
export function wantsRefetch(workflow: WorkflowDocument): boolean {
  const trigger = workflow.nodes.find((n) => isTriggerType(n.type));
  return (trigger?.config as { refetch?: unknown } | undefined)?.refetch === true;
}

/**
 * The event with `data.object` re-read from Stripe (`GET /v1/<resource>/<id>`) when the trigger has
 * `refetch: true`; the event unchanged otherwise. Events are snapshots from when they happened; a refetch
 * gives the run the object as it is now (e.g. an invoice already paid by the time a retried run starts).
 * A 404 (the object was deleted since) keeps the event's own copy. 429 and 5xx throw RetryableError, other
 * answers NonRetriableError.
 */
export async function refetchEventObject(
  event: unknown,
  workflow: WorkflowDocument,
  stripe: StripePort,
): Promise<unknown> {
  if (!wantsRefetch(workflow)) return event;
  const e = event as EventLike;
  const object = e?.data?.object;
  // Own keys only: `object` comes from the signed payload, and "constructor" must not find Object.prototype's.
  const resource =
    typeof object?.object === 'string' && Object.hasOwn(REFETCH_RESOURCES, object.object)
      ? REFETCH_RESOURCES[object.object]
      : undefined;
  if (!object || typeof object.id !== 'string' || !resource) return event;
  const response = await stripe.request({ method: 'GET', path: `/v1/${resource}/${encodeURIComponent(object.id)}` });
  if (response.status === 200 && response.body && typeof response.body === 'object') {
    return { ...e, data: { ...e.data, object: response.body } };
  }
  if (response.status === 404) return event;
  const message = `refetching ${object.object} ${object.id} from Stripe failed with ${response.status}: ${stripeMessage(response.body)}`;
  if (response.status === 429 || response.status >= 500) throw new RetryableError(message);
  throw new NonRetriableError(message);
}

function stripeMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : 'no message';
}
