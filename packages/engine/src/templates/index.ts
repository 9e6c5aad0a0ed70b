/**
 * `@switchyard/engine/templates`: workflows a builder can start from in the New workflow dialog.
 *
 * Each one is a plain workflow document (docs/workflow-document.md), so what the gallery offers is exactly what
 * gets saved; `sampleEventType` names the bundled sample it is test-run against (packages/engine/test/templates.test.ts
 * runs every template on it and expects green). A subpath of its own so the engine's main entry stays lean.
 */
import type { WorkflowDocumentInput } from '../document.js';

export interface WorkflowTemplate {
  /** Stable id, e.g. `grant-access-after-checkout`. */
  readonly id: string;
  readonly name: string;
  /** One or two sentences a builder reads on the gallery card. */
  readonly description: string;
  /** The node type of the template's trigger, whose definition gives the card its icon. */
  readonly triggerType: string;
  /** The bundled sample event a test run of the template uses. */
  readonly sampleEventType: string;
  /** Secrets and variables the builder sets before publishing, shown on the card. */
  readonly needs?: readonly string[];
  readonly document: WorkflowDocumentInput;
}

const obj = 'context.event.object';

const grantAccessAfterCheckout: WorkflowTemplate = {
  id: 'grant-access-after-checkout',
  name: 'Grant access after checkout',
  description:
    'When a Checkout Session completes (or its delayed payment succeeds), mark the buyer as active in an access table; an expired session is marked expired.',
  triggerType: 'stripe.checkout_session',
  sampleEventType: 'checkout.session.completed',
  document: {
    name: 'Grant access after checkout',
    nodes: [
      {
        id: 'trigger',
        type: 'stripe.checkout_session',
        config: { actions: ['completed', 'async_payment_succeeded', 'expired'] },
        position: { x: 0, y: 0 },
      },
      {
        id: 'route',
        type: 'switch',
        config: {
          value: '{{ context.event.action }}',
          cases: [
            { id: 'paid', label: 'Paid', in: ['completed', 'async_payment_succeeded'] },
            { id: 'expired', label: 'Expired', equals: 'expired' },
          ],
        },
        position: { x: 280, y: 0 },
      },
      {
        id: 'grant',
        type: 'table.upsert',
        label: 'Grant access',
        config: {
          table: 'access',
          key: `{{ ${obj}.id }}`,
          values: {
            status: 'active',
            email: `{{ ${obj}.customer_details.email }}`,
            customer: `{{ ${obj}.customer }}`,
            paymentStatus: `{{ ${obj}.payment_status }}`,
          },
        },
        position: { x: 560, y: -80 },
      },
      {
        id: 'expire',
        type: 'table.upsert',
        label: 'Mark expired',
        config: { table: 'access', key: `{{ ${obj}.id }}`, values: { status: 'expired' } },
        position: { x: 560, y: 80 },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'route' },
      { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'grant' },
      { id: 'e3', source: 'route', sourceHandle: 'expired', target: 'expire' },
    ],
  },
};

const dunningEmail: WorkflowTemplate = {
  id: 'dunning-email',
  name: 'Dunning email on a failed invoice payment',
  description:
    'On invoice.payment_failed, record the attempt in a dunning table and email the customer a link to pay, when Stripe knows their address.',
  triggerType: 'stripe.invoice',
  sampleEventType: 'invoice.payment_failed',
  needs: ['SMTP settings of the environment'],
  document: {
    name: 'Dunning email on a failed invoice payment',
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: { actions: ['payment_failed'] }, position: { x: 0, y: 0 } },
      {
        id: 'record',
        type: 'table.upsert',
        label: 'Record the attempt',
        config: {
          table: 'dunning',
          key: `{{ ${obj}.id }}`,
          values: {
            customer: `{{ ${obj}.customer }}`,
            amountDue: `{{ ${obj}.amount_due }}`,
            currency: `{{ ${obj}.currency }}`,
            attempts: `{{ ${obj}.attempt_count }}`,
            nextAttempt: `{{ ${obj}.next_payment_attempt }}`,
          },
        },
        position: { x: 280, y: 0 },
      },
      {
        id: 'has_email',
        type: 'filter',
        label: 'Has an email address',
        config: { condition: `{{ $exists(${obj}.customer_email) and $type(${obj}.customer_email) = 'string' }}` },
        position: { x: 560, y: 0 },
      },
      {
        id: 'email',
        type: 'email.send',
        label: 'Ask to update payment',
        config: {
          to: `{{ ${obj}.customer_email }}`,
          subject: 'Your payment did not go through',
          text: `Hello,\n\nWe could not collect {{ $formatNumber(${obj}.amount_due / 100, '#,##0.00') }} {{ $uppercase(${obj}.currency) }} for your invoice. You can pay it here: {{ ${obj}.hosted_invoice_url }}\n\nThank you.`,
        },
        position: { x: 840, y: 0 },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'record' },
      { id: 'e2', source: 'record', target: 'has_email' },
      { id: 'e3', source: 'has_email', target: 'email' },
    ],
  },
};

const subscriptionsInSync: WorkflowTemplate = {
  id: 'subscriptions-table',
  name: 'Keep a subscriptions table in sync',
  description:
    'Every subscription event writes the subscription’s current state to a table. Upserts are order-safe: an event older than the one that last wrote a row changes nothing, so Stripe’s out-of-order deliveries cannot roll a row back.',
  triggerType: 'stripe.subscription',
  sampleEventType: 'customer.subscription.updated',
  document: {
    name: 'Keep a subscriptions table in sync',
    nodes: [
      { id: 'trigger', type: 'stripe.subscription', config: { actions: [] }, position: { x: 0, y: 0 } },
      {
        id: 'save',
        type: 'table.upsert',
        label: 'Save subscription',
        config: {
          table: 'subscriptions',
          key: `{{ ${obj}.id }}`,
          values: {
            customer: `{{ ${obj}.customer }}`,
            status: `{{ ${obj}.status }}`,
            price: `{{ ${obj}.items.data[0].price.id }}`,
            quantity: `{{ ${obj}.items.data[0].quantity }}`,
            cancelAtPeriodEnd: `{{ ${obj}.cancel_at_period_end }}`,
            lastEvent: '{{ context.event.type }}',
          },
        },
        position: { x: 280, y: 0 },
      },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'save' }],
  },
};

const syncCustomersToCrm: WorkflowTemplate = {
  id: 'crm-sync',
  name: 'Sync customers to a CRM over HTTP',
  description:
    'Creates or updates a contact in your CRM when a Stripe customer is created or updated, and deletes it when the customer is deleted. Change the URL to your CRM’s API and set its key as the secret CRM_API_KEY.',
  triggerType: 'stripe.customer',
  sampleEventType: 'customer.created',
  needs: ['secret CRM_API_KEY'],
  document: {
    name: 'Sync customers to a CRM',
    nodes: [
      {
        id: 'trigger',
        type: 'stripe.customer',
        config: { actions: ['created', 'updated', 'deleted'] },
        position: { x: 0, y: 0 },
      },
      {
        id: 'route',
        type: 'switch',
        config: {
          value: '{{ context.event.action }}',
          cases: [{ id: 'deleted', label: 'Deleted', equals: 'deleted' }],
        },
        position: { x: 280, y: 0 },
      },
      {
        id: 'upsert_contact',
        type: 'http.request',
        label: 'Upsert contact',
        config: {
          method: 'PUT',
          url: `https://crm.example.com/api/contacts/{{ ${obj}.id }}`,
          headers: { Authorization: 'Bearer {{ context.secrets.CRM_API_KEY }}' },
          json: {
            stripeCustomerId: `{{ ${obj}.id }}`,
            email: `{{ ${obj}.email }}`,
            name: `{{ ${obj}.name }}`,
            phone: `{{ ${obj}.phone }}`,
            metadata: `{{ ${obj}.metadata }}`,
          },
        },
        position: { x: 560, y: 80 },
      },
      {
        id: 'delete_contact',
        type: 'http.request',
        label: 'Delete contact',
        config: {
          method: 'DELETE',
          url: `https://crm.example.com/api/contacts/{{ ${obj}.id }}`,
          headers: { Authorization: 'Bearer {{ context.secrets.CRM_API_KEY }}' },
        },
        position: { x: 560, y: -80 },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'route' },
      { id: 'e2', source: 'route', sourceHandle: 'deleted', target: 'delete_contact' },
      { id: 'e3', source: 'route', sourceHandle: 'default', target: 'upsert_contact' },
    ],
  },
};

const notifyOnDispute: WorkflowTemplate = {
  id: 'dispute-alert',
  name: 'Notify the team of a dispute',
  description:
    'When a customer disputes a charge, log it in a disputes table with its evidence deadline and post it to a Slack channel, so someone answers before Stripe’s deadline. Set the channel’s incoming-webhook URL as the secret SLACK_WEBHOOK_URL.',
  triggerType: 'stripe.dispute',
  sampleEventType: 'charge.dispute.created',
  needs: ['secret SLACK_WEBHOOK_URL'],
  document: {
    name: 'Notify the team of a dispute',
    nodes: [
      {
        id: 'trigger',
        type: 'stripe.dispute',
        config: { actions: ['created', 'updated', 'closed'] },
        position: { x: 0, y: 0 },
      },
      {
        id: 'log',
        type: 'table.upsert',
        label: 'Log the dispute',
        config: {
          table: 'disputes',
          key: `{{ ${obj}.id }}`,
          values: {
            charge: `{{ ${obj}.charge }}`,
            amount: `{{ ${obj}.amount }}`,
            currency: `{{ ${obj}.currency }}`,
            reason: `{{ ${obj}.reason }}`,
            status: `{{ ${obj}.status }}`,
            respondBy: `{{ ${obj}.evidence_details.due_by }}`,
          },
        },
        position: { x: 280, y: 0 },
      },
      {
        id: 'slack',
        type: 'http.request',
        label: 'Post to Slack',
        config: {
          method: 'POST',
          url: '{{ context.secrets.SLACK_WEBHOOK_URL }}',
          json: {
            text: `Dispute {{ context.event.action }}: {{ $formatNumber(${obj}.amount / 100, '#,##0.00') }} {{ $uppercase(${obj}.currency) }} on {{ ${obj}.charge }}, reason {{ ${obj}.reason }}, status {{ ${obj}.status }}{{ $exists(${obj}.evidence_details.due_by) and ${obj}.evidence_details.due_by ? ', respond by ' & $fromMillis(${obj}.evidence_details.due_by * 1000, '[Y0001]-[M01]-[D01]') : '' }}`,
          },
        },
        position: { x: 560, y: 0 },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'log' },
      { id: 'e2', source: 'log', target: 'slack' },
    ],
  },
};

const refundReceipt: WorkflowTemplate = {
  id: 'refund-receipt',
  name: 'Refund receipt',
  description:
    'When a refund is created, look up its charge for the customer’s address and email them a receipt for the amount refunded.',
  triggerType: 'stripe.refund',
  sampleEventType: 'refund.created',
  needs: ['SMTP settings of the environment'],
  document: {
    name: 'Refund receipt',
    nodes: [
      { id: 'trigger', type: 'stripe.refund', config: { actions: ['created'] }, position: { x: 0, y: 0 } },
      {
        id: 'charge',
        type: 'stripe.request',
        label: 'Get the charge',
        config: { operation: 'retrieve', resource: 'charges', id: `{{ ${obj}.charge }}` },
        position: { x: 280, y: 0 },
      },
      {
        id: 'has_email',
        type: 'filter',
        label: 'Has an email address',
        config: {
          condition:
            "{{ $type(context.steps.charge.receipt_email) = 'string' or $type(context.steps.charge.billing_details.email) = 'string' }}",
        },
        position: { x: 560, y: 0 },
      },
      {
        id: 'email',
        type: 'email.send',
        label: 'Send the receipt',
        config: {
          to: "{{ $type(context.steps.charge.receipt_email) = 'string' ? context.steps.charge.receipt_email : context.steps.charge.billing_details.email }}",
          subject: 'Your refund is on its way',
          text: `Hello,\n\nWe have refunded {{ $formatNumber(${obj}.amount / 100, '#,##0.00') }} {{ $uppercase(${obj}.currency) }} to your card. It usually appears within 5 to 10 business days.\n\nReference: {{ ${obj}.id }}`,
        },
        position: { x: 840, y: 0 },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'charge' },
      { id: 'e2', source: 'charge', target: 'has_email' },
      { id: 'e3', source: 'has_email', target: 'email' },
    ],
  },
};

/** The gallery, in the order the New workflow dialog shows it. */
export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  grantAccessAfterCheckout,
  dunningEmail,
  subscriptionsInSync,
  notifyOnDispute,
  refundReceipt,
  syncCustomersToCrm,
];

export function workflowTemplate(id: string): WorkflowTemplate | undefined {
  return WORKFLOW_TEMPLATES.find((t) => t.id === id);
}
