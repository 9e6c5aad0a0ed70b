/**
 * The Stripe trigger families of docs/triggers.md (the generic "On any Stripe event" is not a family: see
 * patterns.ts).
 *
 * Matching is by exact prefix (with its trailing dot) plus explicit exclusions and extra types,
 * and families are tried most specific first so that `customer.subscription.*`
 * never lands in the customer family. test/catalogue.test.ts classifies every type stripe-node knows.
 */

export type FamilyNodeType =
  | 'stripe.checkout_session'
  | 'stripe.payment_intent'
  | 'stripe.subscription'
  | 'stripe.invoice'
  | 'stripe.charge'
  | 'stripe.customer'
  | 'stripe.product'
  | 'stripe.price'
  | 'stripe.dispute'
  | 'stripe.refund';

/** The generic trigger: fires on the types its config lists (patterns.ts), whatever their family. */
export const ANY_EVENT_TRIGGER = 'stripe.event';

export type TriggerNodeType = FamilyNodeType | typeof ANY_EVENT_TRIGGER;

export interface TriggerFamily {
  /** Node type of the trigger in a workflow document, e.g. `stripe.invoice`. */
  readonly nodeType: FamilyNodeType;
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
  /** Types outside the prefix that belong here too, their action being the last segment (`charge.refund.updated`). */
  readonly extraTypes: readonly string[];
  /** Stripe suffix → action, for the documented exceptions (`payment_intent.payment_failed` → `failed`). */
  readonly actionAliases: Readonly<Record<string, string>>;
}

const family = (
  f: Omit<TriggerFamily, 'excludePrefixes' | 'actionAliases' | 'extraTypes'> & Partial<TriggerFamily>,
): TriggerFamily => ({
  excludePrefixes: [],
  actionAliases: {},
  extraTypes: [],
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
      'payment_attempt_required',
      'will_be_due',
      'overpaid',
    ],
  }),
  family({
    nodeType: 'stripe.dispute',
    label: 'On dispute event',
    prefix: 'charge.dispute.',
    actions: ['created', 'updated', 'closed', 'funds_withdrawn', 'funds_reinstated'],
  }),
  family({
    nodeType: 'stripe.refund',
    label: 'On refund event',
    prefix: 'refund.',
    actions: ['created', 'updated', 'failed'],
    // The refund object's own events, plus the older event Stripe still sends when a charge's refund changes.
    extraTypes: ['charge.refund.updated'],
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

/** Every trigger node type: the families', then the generic one. */
export const TRIGGER_NODE_TYPES: readonly TriggerNodeType[] = [
  ...TRIGGER_FAMILIES.map((f) => f.nodeType),
  ANY_EVENT_TRIGGER,
];

/** Whether a type is this family's, looked at alone (familyOf tries the families in order). */
export function familyIncludes(f: TriggerFamily, type: string): boolean {
  if (f.extraTypes.includes(type)) return true;
  if (f.exactTypes) return f.exactTypes.includes(type);
  if (!type.startsWith(f.prefix) || type.length === f.prefix.length) return false;
  return !f.excludePrefixes.some((p) => type.startsWith(p));
}

/** The family a Stripe event type belongs to, or undefined (e.g. `charge.dispute.created`). */
export function familyOf(type: string): TriggerFamily | undefined {
  return TRIGGER_FAMILIES.find((f) => familyIncludes(f, type));
}

/** The family whose trigger node has this type. */
export function familyByNodeType(nodeType: string): TriggerFamily | undefined {
  return TRIGGER_FAMILIES.find((f) => f.nodeType === nodeType);
}

export function isTriggerType(nodeType: string): nodeType is TriggerNodeType {
  return nodeType === ANY_EVENT_TRIGGER || familyByNodeType(nodeType) !== undefined;
}

/**
 * `context.event.action`: the type minus its family prefix. Types of no family
 * still get an action (the part after the last dot) so it can be stored and shown.
 */
export function actionOf(type: string): string {
  const f = familyOf(type);
  if (!f || !type.startsWith(f.prefix)) return type.slice(type.lastIndexOf('.') + 1);
  const rest = type.slice(f.prefix.length);
  // The type comes from the event: `invoice.constructor` must not find Object.prototype.constructor.
  return Object.hasOwn(f.actionAliases, rest) ? f.actionAliases[rest]! : rest;
}
