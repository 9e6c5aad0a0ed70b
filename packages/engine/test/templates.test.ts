import { describe, expect, it } from 'vitest';
import { defaultRegistry, familyOf, runWorkflow, validateWorkflow } from '../src/index.js';
import { sampleEvent } from '../src/samples/index.js';
import { WORKFLOW_TEMPLATES, workflowTemplate } from '../src/templates/index.js';
import { createMemoryPorts } from '../src/testing/index.js';

const registry = defaultRegistry;
const secrets = {
  CRM_API_KEY: 'crm_live_key_for_the_test',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
};

function sample(type: string) {
  const event = sampleEvent(type);
  if (!event) throw new Error(`no bundled sample for ${type}`);
  return structuredClone(event) as unknown as Record<string, unknown> & { data: { object: Record<string, unknown> } };
}

async function runTemplate(id: string, event: unknown = sample(workflowTemplate(id)!.sampleEventType)) {
  const ports = createMemoryPorts();
  const result = await runWorkflow({ registry, workflow: workflowTemplate(id)!.document, event, ports, secrets });
  return { ports, result };
}

describe('workflow templates', () => {
  it('have unique ids and cover the gallery the New workflow dialog promises', () => {
    const ids = WORKFLOW_TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(6);
  });

  for (const template of WORKFLOW_TEMPLATES) {
    describe(template.name, () => {
      it('is a valid document with no warnings, whose trigger matches its sample', () => {
        const v = validateWorkflow(template.document, { registry });
        expect(v.ok ? [] : v.errors).toEqual([]);
        expect(v.ok).toBe(true);
        expect(v.warnings).toEqual([]);
        const trigger = template.document.nodes.find((n) => n.type.startsWith('stripe.'));
        expect(trigger?.type).toBe(template.triggerType);
        expect(familyOf(template.sampleEventType)?.nodeType ?? 'stripe.event').toBe(template.triggerType);
      });

      it('runs green on its own sample event', async () => {
        const { result } = await runTemplate(template.id);
        expect(result.steps.filter((s) => s.status === 'failed')).toEqual([]);
        expect(result.status).toBe('succeeded');
      });
    });
  }

  it('grant access: a completed session marks the buyer active', async () => {
    const { ports } = await runTemplate('grant-access-after-checkout');
    const session = sample('checkout.session.completed').data.object;
    expect(ports.rows('access')).toMatchObject([{ key: session.id, values: { status: 'active' } }]);
  });

  it('dunning: records every failure and emails only a customer Stripe has an address for', async () => {
    const silent = await runTemplate('dunning-email');
    expect(silent.ports.rows('dunning')).toHaveLength(1);
    expect(silent.ports.emails).toEqual([]);

    const event = sample('invoice.payment_failed');
    event.data.object.customer_email = 'jenny@example.com';
    event.data.object.hosted_invoice_url = 'https://invoice.stripe.com/i/acct_1/test';
    const { ports } = await runTemplate('dunning-email', event);
    expect(ports.emails).toHaveLength(1);
    expect(ports.emails[0]).toMatchObject({ to: ['jenny@example.com'], subject: 'Your payment did not go through' });
    expect(ports.emails[0]?.text).toContain('10.00 USD');
    expect(ports.emails[0]?.text).toContain('https://invoice.stripe.com/i/acct_1/test');
  });

  it('subscriptions: an older event does not roll a newer row back', async () => {
    const ports = createMemoryPorts();
    const doc = workflowTemplate('subscriptions-table')!.document;
    const newer = sample('customer.subscription.updated');
    newer.created = 2_000;
    newer.data.object.status = 'past_due';
    const older = sample('customer.subscription.updated');
    older.id = 'evt_older';
    older.created = 1_000;
    older.data.object.status = 'active';
    await runWorkflow({ registry, workflow: doc, event: newer, ports });
    await runWorkflow({ registry, workflow: doc, event: older, ports });
    expect(ports.rows('subscriptions')).toMatchObject([{ values: { status: 'past_due' } }]);
  });

  it('CRM sync: sends the contact as a JSON object, keeping nulls, with the secret in the header', async () => {
    const { ports } = await runTemplate('crm-sync');
    const customer = sample('customer.created').data.object;
    expect(ports.httpRequests).toHaveLength(1);
    const req = ports.httpRequests[0]!;
    expect(req.method).toBe('PUT');
    expect(req.url).toBe(`https://crm.example.com/api/contacts/${customer.id}`);
    expect(req.headers.Authorization).toBe(`Bearer ${secrets.CRM_API_KEY}`);
    expect(JSON.parse(req.body ?? 'null')).toEqual({
      stripeCustomerId: customer.id,
      email: null,
      name: null,
      phone: null,
      metadata: {},
    });

    const deleted = await runTemplate('crm-sync', sample('customer.deleted'));
    expect(deleted.ports.httpRequests.map((r) => r.method)).toEqual(['DELETE']);
  });

  it('dispute: logs the deadline and posts a readable message to Slack', async () => {
    const event = sample('charge.dispute.created');
    event.data.object.evidence_details = { due_by: 1_767_225_600 };
    const { ports } = await runTemplate('dispute-alert', event);
    expect(ports.rows('disputes')).toMatchObject([{ values: { amount: 1000, respondBy: 1_767_225_600 } }]);
    expect(ports.httpRequests.map((r) => r.url)).toEqual([secrets.SLACK_WEBHOOK_URL]);
    const { text } = JSON.parse(ports.httpRequests[0]!.body ?? '{}');
    expect(text).toContain('Dispute created: 10.00 USD on ch_');
    expect(text).toContain('respond by 2026-01-01');
  });

  it('refund receipt: emails the address on the refunded charge', async () => {
    const ports = createMemoryPorts({
      stripe: (req) => ({
        status: 200,
        headers: {},
        body: {
          id: req.path.split('/').pop(),
          object: 'charge',
          receipt_email: null,
          billing_details: { email: 'jenny@example.com' },
        },
      }),
    });
    const doc = workflowTemplate('refund-receipt')!.document;
    const result = await runWorkflow({ registry, workflow: doc, event: sample('refund.created'), ports });
    expect(result.status).toBe('succeeded');
    expect(ports.stripeRequests.map((r) => r.path)).toEqual(['/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8']);
    expect(ports.emails).toMatchObject([{ to: ['jenny@example.com'], subject: 'Your refund is on its way' }]);
    expect(ports.emails[0]?.text).toContain('1.00 USD');
  });
});
