import { defaultRegistry, validateWorkflow } from '@switchyard/engine';
import { describe, expect, it } from 'vitest';
import type { WorkflowDoc } from '../src/api/types.js';
import { documentToFlow, flowToDocument, STEP_NODE } from '../src/flow/convert.js';

const invoiceWorkflow: WorkflowDoc = {
  name: 'Track invoices',
  description: 'the example of docs/workflow-document.md',
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
      label: 'By action',
      config: {
        value: '{{ context.event.action }}',
        cases: [
          { id: 'paid', equals: 'paid' },
          { id: 'failed', equals: 'payment_failed' },
        ],
      },
      position: { x: 300, y: 0 },
    },
    {
      id: 'save',
      type: 'table.upsert',
      version: 1,
      config: { table: 'invoices', key: '{{ context.event.object.id }}', values: { status: 'paid' } },
      position: { x: 600, y: 0 },
    },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save' },
  ],
};

describe('document ↔ flow', () => {
  it('round-trips a document exactly', () => {
    const flow = documentToFlow(invoiceWorkflow);
    expect(flowToDocument(flow.meta, flow.nodes, flow.edges)).toEqual(invoiceWorkflow);
  });

  it('renders every node with the one generic component and keeps the workflow type in data', () => {
    const { nodes } = documentToFlow(invoiceWorkflow);
    expect(nodes.map((n) => n.type)).toEqual([STEP_NODE, STEP_NODE, STEP_NODE]);
    expect(nodes[1]!.data).toMatchObject({ type: 'switch', label: 'By action' });
    expect(nodes[2]!.data.version).toBe(1);
  });

  it('maps named outputs to handles and leaves the unnamed output without one', () => {
    const { edges } = documentToFlow(invoiceWorkflow);
    expect(edges[0]!.sourceHandle).toBeUndefined();
    expect(edges[1]!.sourceHandle).toBe('paid');
  });

  it('drops an explicit "main" handle and null handles on the way back', () => {
    const doc: WorkflowDoc = {
      ...invoiceWorkflow,
      edges: [
        { id: 'e1', source: 'trigger', sourceHandle: 'main', target: 'route' },
        { id: 'e2', source: 'route', sourceHandle: null, target: 'save' },
      ],
    };
    const flow = documentToFlow(doc);
    const back = flowToDocument(flow.meta, flow.nodes, flow.edges);
    expect(back.edges).toEqual([
      { id: 'e1', source: 'trigger', target: 'route' },
      { id: 'e2', source: 'route', target: 'save' },
    ]);
  });

  it('keeps unknown fields of the document, nodes and edges', () => {
    const doc = {
      ...invoiceWorkflow,
      owner: 'ops',
      nodes: invoiceWorkflow.nodes.map((n, i) => (i === 0 ? { ...n, note: 'starts here' } : n)),
      edges: invoiceWorkflow.edges!.map((e, i) => (i === 0 ? { ...e, color: 'red' } : e)),
    } as WorkflowDoc;
    const flow = documentToFlow(doc);
    expect(flowToDocument(flow.meta, flow.nodes, flow.edges)).toEqual(doc);
  });

  it('places nodes stored without a position in columns by depth, and rounds positions', () => {
    const doc: WorkflowDoc = { ...invoiceWorkflow, nodes: invoiceWorkflow.nodes.map(({ position: _p, ...n }) => n) };
    const flow = documentToFlow(doc);
    const xs = flow.nodes.map((n) => n.position.x);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(xs[1]).toBeLessThan(xs[2]!);
    flow.nodes[0]!.position = { x: 10.4, y: 20.6 };
    expect(flowToDocument(flow.meta, flow.nodes, flow.edges).nodes[0]!.position).toEqual({ x: 10, y: 21 });
  });

  it('produces documents the engine accepts', () => {
    const flow = documentToFlow(invoiceWorkflow);
    const result = validateWorkflow(flowToDocument(flow.meta, flow.nodes, flow.edges), { registry: defaultRegistry });
    expect(result.ok).toBe(true);
  });
});
