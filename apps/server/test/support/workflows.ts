/** The invoice workflow in the shape of docs/workflow-document.md: trigger → switch on the action → upsert per branch. */
export function invoiceWorkflow(name = 'Track invoices') {
  return {
    name,
    nodes: [
      {
        id: 'trigger',
        type: 'stripe.invoice',
        config: { actions: ['paid', 'payment_failed'] },
        position: { x: 0, y: 0 },
      },
      {
        id: 'route',
        type: 'switch',
        config: {
          value: '{{ context.event.action }}',
          cases: [
            { id: 'paid', equals: 'paid' },
            { id: 'failed', equals: 'payment_failed' },
          ],
        },
      },
      {
        id: 'save_paid',
        type: 'table.upsert',
        config: {
          table: 'invoices',
          key: '{{ context.event.object.id }}',
          values: {
            status: 'paid',
            amount: '{{ context.event.object.amount_paid }}',
            customer: '{{ context.event.object.customer }}',
          },
        },
      },
      {
        id: 'save_failed',
        type: 'table.upsert',
        config: {
          table: 'invoices',
          key: '{{ context.event.object.id }}',
          values: { status: 'payment_failed', attempts: '{{ context.event.object.attempt_count }}' },
        },
      },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'route' },
      { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save_paid' },
      { id: 'e3', source: 'route', sourceHandle: 'failed', target: 'save_failed' },
    ],
  };
}
