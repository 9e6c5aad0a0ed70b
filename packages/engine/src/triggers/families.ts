/**
 * The eight Stripe trigger families of docs/triggers.md.
 *
 * Matching is by exact prefix (with its trailing dot) plus explicit exclusions,
 * and families are tried most specific first so that `customer.subscription.*`
 * never lands in the customer family.
 */

export type TriggerNodeType =
  | 'stripe.checkout_session'
  | 'stripe.payment_intent'
  | 'stripe.subscription'
  | 'stripe.invoice'
  | 'stripe.charge'
  | 'stripe.customer'
  | 'stripe.product'
  | 'stripe.price';

export interface TriggerFamily {
  /** Node type of the trigger in a workflow document, e.g. `stripe.invoice`. */
  readonly nodeType: TriggerNodeType;
  /** Editor label, e.g. "On invoice event". */
  readonly label: string;
  /** Stripe type prefix including the trailing dot, e.g. `invoice.`. */
  readonly prefix: string;
  /** Actions offered in the editor; the family still matches any type under its prefix. */
  readonly actions: readonly string[];
  /** Types under the prefix that belong elsewhere (e.g. `charge.dispute.`). */
  readonly excludePrefixes: readonly string[];
  /** When set, only these exact types match (the customer family is not a prefix family). */
  readonly exactTypes?: readonly string[];
  /** Stripe suffix → action, for the documented exceptions (`payment_intent.payment_failed` → `failed`). */
  readonly actionAliases: Readonly<Record<string, string>>;
}

const family = (
  f: Omit<TriggerFamily, 'excludePrefixes' | 'actionAliases'> & Partial<TriggerFamily>,
): TriggerFamily => ({
  excludePrefixes: [],
  actionAliases: {},
  ...f,
});

// Order matters: most specific prefixes first.
export const TRIGGER_FAMILIES: readonly TriggerFamily[] = [
  family({
    nodeType: 'stripe.checkout_session',
    label: 'On checkout session event',
    prefix: 'checkout.session.',
    actions: ['completed', 'expired', 'async_payment_succeeded', 'async_payment_failed'],
  }),
  family({
    nodeType: 'stripe.payment_intent',
    label: 'On payment intent event',
    prefix: 'payment_intent.',
    actions: [
      'created',
      'succeeded',
      'failed',
      'canceled',
      'processing',
      'requires_action',
      'amount_capturable_updated',
      'partially_funded',
    ],
    // The reference product's table names this action `failed`; docs/triggers.md keeps that.
    actionAliases: { payment_failed: 'failed' },
  }),
  family({
    nodeType: 'stripe.subscription',
    label: 'On subscription event',
    prefix: 'customer.subscription.',
    actions: [
      'created',
      'updated',
      'deleted',
      'paused',
      'resumed',
      'trial_will_end',
      'pending_update_applied',
      'pending_update_expired',
    ],
  }),
  family({
    nodeType: 'stripe.invoice',
    label: 'On invoice event',
    prefix: 'invoice.',
    actions: [
      'created',
      'updated',
      'paid',
      'payment_failed',
      'finalized',
      'payment_succeeded',
      'voided',
      'sent',
      'marked_uncollectible',
      'overdue',
      'upcoming',
      'deleted',
      'finalization_failed',
      'payment_action_required',
      'will_be_due',
      'overpaid',
    ],
  }),
  family({
    nodeType: 'stripe.charge',
    label: 'On charge event',
    prefix: 'charge.',
    actions: ['succeeded', 'failed', 'refunded', 'updated', 'captured', 'expired', 'pending'],
    // Disputes and refund objects are other Stripe objects that merely share the prefix.
    excludePrefixes: ['charge.dispute.', 'charge.refund.'],
  }),
  family({
    nodeType: 'stripe.customer',
    label: 'On customer event',
    prefix: 'customer.',
    actions: ['created', 'updated', 'deleted'],
    // customer.source.*, customer.discount.*, customer.tax_id.* ... are not customer events.
    exactTypes: ['customer.created', 'customer.updated', 'customer.deleted'],
  }),
  family({
    nodeType: 'stripe.product',
    label: 'On product event',
    prefix: 'product.',
    actions: ['created', 'updated', 'deleted'],
  }),
  family({
    nodeType: 'stripe.price',
    label: 'On price event',
    prefix: 'price.',
    actions: ['created', 'updated', 'deleted'],
  }),
];

export const TRIGGER_NODE_TYPES: readonly TriggerNodeType[] = TRIGGER_FAMILIES.map((f) => f.nodeType);

function belongsTo(f: TriggerFamily, type: string): boolean {
  if (f.exactTypes) return f.exactTypes.includes(type);
  if (!type.startsWith(f.prefix) || type.length === f.prefix.length) return false;
  return !f.excludePrefixes.some((p) => type.startsWith(p));
}

/** The family a Stripe event type belongs to, or undefined (e.g. `charge.dispute.created`). */
export function familyOf(type: string): TriggerFamily | undefined {
  return TRIGGER_FAMILIES.find((f) => belongsTo(f, type));
}

/** The family whose trigger node has this type. */
export function familyByNodeType(nodeType: string): TriggerFamily | undefined {
  return TRIGGER_FAMILIES.find((f) => f.nodeType === nodeType);
}

export function isTriggerType(nodeType: string): nodeType is TriggerNodeType {
  return familyByNodeType(nodeType) !== undefined;
}

/**
 * `context.event.action`: the type minus its family prefix. Types of no family
 * still get an action (the part after the last dot) so it can be stored and shown.
 */
export function actionOf(type: string): string {
  const f = familyOf(type);
  if (!f) return type.slice(type.lastIndexOf('.') + 1);
  const rest = type.slice(f.prefix.length);
  // The type comes from the event: `invoice.constructor` must not find Object.prototype.constructor.
  return Object.hasOwn(f.actionAliases, rest) ? f.actionAliases[rest]! : rest;
}
