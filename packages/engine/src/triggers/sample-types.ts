import { ANY_EVENT_TRIGGER, familyByNodeType, familyOf } from './families.js';
import { EVENT_TYPE_CATALOGUE } from './patterns.js';
import { triggerMatches } from './trigger-nodes.js';

/**
 * The event types that have a recorded Stripe event in `fixtures/stripe-events`, by name only: the node catalogue
 * tells the editor which samples a trigger offers without the main entry loading the payloads. A test keeps this
 * list, the fixtures directory and the samples entry in step.
 */
export const RECORDED_SAMPLE_TYPES: readonly string[] = [
  'charge.failed',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.created',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.updated',
  'customer.updated',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.payment_failed',
  'payment_intent.succeeded',
  'price.created',
  'price.deleted',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
];

/**
 * The resources of `fixtures/stripe-openapi-fixtures3.json` (Stripe's one sample object per resource), by name
 * only, for the same reason; a test keeps it equal to the file's keys.
 */
export const SAMPLE_RESOURCES: readonly string[] = [
  'account',
  'account_link',
  'account_session',
  'apple_pay_domain',
  'application',
  'application_fee',
  'apps.secret',
  'balance',
  'balance_settings',
  'balance_transaction',
  'bank_account',
  'billing.alert',
  'billing.alert_triggered',
  'billing.credit_balance_summary',
  'billing.credit_balance_transaction',
  'billing.credit_grant',
  'billing.meter',
  'billing.meter_event',
  'billing.meter_event_adjustment',
  'billing.meter_event_summary',
  'billing_portal.configuration',
  'billing_portal.session',
  'capability',
  'card',
  'cash_balance',
  'charge',
  'checkout.session',
  'climate.order',
  'climate.product',
  'climate.supplier',
  'confirmation_token',
  'country_spec',
  'coupon',
  'credit_note',
  'credit_note_line_item',
  'customer',
  'customer_balance_transaction',
  'customer_cash_balance_transaction',
  'customer_session',
  'deleted_account',
  'deleted_apple_pay_domain',
  'deleted_application',
  'deleted_bank_account',
  'deleted_card',
  'deleted_coupon',
  'deleted_customer',
  'deleted_discount',
  'deleted_external_account',
  'deleted_invoice',
  'deleted_invoiceitem',
  'deleted_payment_source',
  'deleted_person',
  'deleted_plan',
  'deleted_price',
  'deleted_product',
  'deleted_product_feature',
  'deleted_radar.value_list',
  'deleted_radar.value_list_item',
  'deleted_subscription_item',
  'deleted_tax_id',
  'deleted_terminal.configuration',
  'deleted_terminal.location',
  'deleted_terminal.reader',
  'deleted_test_helpers.test_clock',
  'deleted_webhook_endpoint',
  'discount',
  'dispute',
  'entitlements.active_entitlement',
  'entitlements.active_entitlement_summary',
  'entitlements.feature',
  'ephemeral_key',
  'event',
  'exchange_rate',
  'external_account',
  'fee_refund',
  'file',
  'file_link',
  'financial_connections.account',
  'financial_connections.account_owner',
  'financial_connections.account_ownership',
  'financial_connections.authorization',
  'financial_connections.session',
  'financial_connections.transaction',
  'forwarding.request',
  'funding_instructions',
  'identity.verification_report',
  'identity.verification_session',
  'invoice',
  'invoice_payment',
  'invoice_rendering_template',
  'invoiceitem',
  'issuing.authorization',
  'issuing.card',
  'issuing.cardholder',
  'issuing.dispute',
  'issuing.personalization_design',
  'issuing.physical_bundle',
  'issuing.settlement',
  'issuing.token',
  'issuing.transaction',
  'item',
  'line_item',
  'login_link',
  'mandate',
  'payment_attempt_record',
  'payment_intent',
  'payment_intent_amount_details_line_item',
  'payment_link',
  'payment_method',
  'payment_method_configuration',
  'payment_method_domain',
  'payment_record',
  'payment_source',
  'payout',
  'person',
  'plan',
  'price',
  'product',
  'product_feature',
  'promotion_code',
  'quote',
  'radar.early_fraud_warning',
  'radar.payment_evaluation',
  'radar.value_list',
  'radar.value_list_item',
  'refund',
  'reporting.report_run',
  'reporting.report_type',
  'reserve.hold',
  'reserve.plan',
  'reserve.release',
  'review',
  'scheduled_query_run',
  'setup_attempt',
  'setup_intent',
  'shipping_rate',
  'sigma.sigma_api_query',
  'source',
  'source_mandate_notification',
  'source_transaction',
  'subscription',
  'subscription_item',
  'subscription_schedule',
  'tax.association',
  'tax.calculation',
  'tax.calculation_line_item',
  'tax.registration',
  'tax.settings',
  'tax.transaction',
  'tax.transaction_line_item',
  'tax_code',
  'tax_id',
  'tax_rate',
  'terminal.configuration',
  'terminal.connection_token',
  'terminal.location',
  'terminal.onboarding_link',
  'terminal.reader',
  'terminal.refund',
  'test_helpers.test_clock',
  'token',
  'topup',
  'transfer',
  'transfer_reversal',
  'treasury.credit_reversal',
  'treasury.debit_reversal',
  'treasury.financial_account',
  'treasury.financial_account_features',
  'treasury.inbound_transfer',
  'treasury.outbound_payment',
  'treasury.outbound_transfer',
  'treasury.received_credit',
  'treasury.received_debit',
  'treasury.transaction',
  'treasury.transaction_entry',
  'webhook_endpoint',
];

const RESOURCES: ReadonlySet<string> = new Set(SAMPLE_RESOURCES);

/** Event type → resource where neither the type's object part nor its `issuing_…` spelling names it. */
const RESOURCE_BY_TYPE: Readonly<Record<string, string>> = {
  'source.mandate_notification': 'source_mandate_notification',
  'billing.alert.triggered': 'billing.alert_triggered',
};

/** The object part of a type (all but its action) → resource, where they differ. */
const RESOURCE_BY_OBJECT: Readonly<Record<string, string>> = {
  'account.application': 'application',
  'account.external_account': 'external_account',
  'application_fee.refund': 'fee_refund',
  'charge.dispute': 'dispute',
  'charge.refund': 'refund',
  'customer.discount': 'discount',
  'customer.source': 'source',
  'customer.subscription': 'subscription',
  'customer.tax_id': 'tax_id',
  'sigma.scheduled_query_run': 'scheduled_query_run',
  'source.transaction': 'source_transaction',
};

/**
 * The Stripe resource whose sample object an event of this type carries as `data.object` (`payout.paid` →
 * `payout`, `charge.dispute.created` → `dispute`, `issuing_card.created` → `issuing.card`), or undefined when the
 * fixtures hold none (e.g. `apps.install.*`).
 */
export function sampleResourceOf(type: string): string | undefined {
  const dot = type.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const object = type.slice(0, dot);
  const candidates = [
    Object.hasOwn(RESOURCE_BY_TYPE, type) ? RESOURCE_BY_TYPE[type] : undefined,
    Object.hasOwn(RESOURCE_BY_OBJECT, object) ? RESOURCE_BY_OBJECT[object] : undefined,
    object,
    object.replace(/^issuing_/, 'issuing.'),
  ];
  return candidates.find((c): c is string => c !== undefined && RESOURCES.has(c));
}

/** Every type with a sample: the recorded events, and every catalogue type whose resource has a sample object. */
export const SAMPLE_EVENT_TYPES: readonly string[] = [
  ...new Set([...RECORDED_SAMPLE_TYPES, ...EVENT_TYPE_CATALOGUE.filter((t) => sampleResourceOf(t) !== undefined)]),
].sort();

/**
 * The sample types of one trigger, by node type (e.g. `stripe.invoice`) and, for the generic trigger, its config:
 * the types its patterns cover; all of them while it has none (or none is given).
 */
export function sampleTypesForTrigger(nodeType: string, config?: unknown): string[] {
  if (nodeType === ANY_EVENT_TRIGGER) {
    const chosen = SAMPLE_EVENT_TYPES.filter((type) => triggerMatches({ type: nodeType, config }, type));
    return chosen.length ? chosen : [...SAMPLE_EVENT_TYPES];
  }
  const family = familyByNodeType(nodeType);
  if (!family) return [];
  return SAMPLE_EVENT_TYPES.filter((type) => familyOf(type)?.nodeType === family.nodeType);
}
