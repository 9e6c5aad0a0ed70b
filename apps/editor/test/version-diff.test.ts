import { describe, expect, it } from 'vitest';
import { diffDocuments, diffValues, isEmptyDiff, showValue } from '../src/flow/diff.js';

const v1 = {
  name: 'Track invoices',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } },
    {
      id: 'route',
      type: 'switch',
      config: { value: '{{ context.event.action }}', cases: [{ id: 'paid', equals: 'paid' }] },
    },
    { id: 'save', type: 'table.upsert', config: { table: 'invoices', key: '{{ context.event.object.id }}' } },
    { id: 'note', type: 'log', config: { message: 'hi' } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save' },
    { id: 'e3', source: 'save', target: 'note' },
  ],
};

describe('version diff', () => {
  it('lists added and removed nodes and each changed config field with its old and new value', () => {
    const v2 = {
      ...v1,
      nodes: [
        { ...v1.nodes[0]!, config: { actions: ['paid', 'payment_failed'] }, position: { x: 40, y: 40 } },
        {
          ...v1.nodes[1]!,
          config: {
            value: '{{ context.event.action }}',
            cases: [
              { id: 'paid', equals: 'paid' },
              { id: 'failed', equals: 'payment_failed' },
            ],
          },
        },
        { ...v1.nodes[2]!, label: 'Save it', config: { key: '{{ context.event.object.id }}', table: 'paid_invoices' } },
        { id: 'alert', type: 'fail', config: { message: 'stop' } },
      ],
      edges: [...v1.edges.slice(0, 2), { id: 'e4', source: 'save', target: 'alert' }],
    };
    const d = diffDocuments(v1, v2);
    expect(d.addedNodes).toEqual(['alert']);
    expect(d.removedNodes).toEqual(['note']);
    expect(d.changedNodes).toEqual(['trigger', 'route', 'save']);
    expect(d.nodeChanges).toEqual([
      { id: 'trigger', fields: [{ path: 'config.actions[1]', before: undefined, after: 'payment_failed' }] },
      {
        id: 'route',
        fields: [{ path: 'config.cases[1]', before: undefined, after: { id: 'failed', equals: 'payment_failed' } }],
      },
      {
        id: 'save',
        fields: [
          { path: 'label', before: undefined, after: 'Save it' },
          { path: 'config.table', before: 'invoices', after: 'paid_invoices' },
        ],
      },
    ]);
    expect(d.addedEdges).toEqual(['save → alert']);
    expect(d.removedEdges).toEqual(['save → note']);
  });

  it('sees no change when only positions or key order differ', () => {
    const moved = {
      ...v1,
      nodes: v1.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 }, config: { ...n.config } })),
    };
    moved.nodes[2] = { ...moved.nodes[2]!, config: { key: '{{ context.event.object.id }}', table: 'invoices' } };
    expect(isEmptyDiff(diffDocuments(v1, moved))).toBe(true);
  });

  it('sees a sticky note added or reworded, not one moved', () => {
    const note = { id: 'n1', text: 'Paid only', position: { x: 0, y: 0 } };
    const withNote = { ...v1, notes: [note] };
    expect(diffDocuments(v1, withNote).notesChanged).toBe(true);
    expect(isEmptyDiff(diffDocuments(withNote, { ...v1, notes: [{ ...note, position: { x: 50, y: 9 } }] }))).toBe(true);
    expect(isEmptyDiff(diffDocuments(withNote, { ...v1, notes: [{ ...note, text: 'All' }] }))).toBe(false);
  });

  it('reports a value that changed kind as one change, and a type change', () => {
    expect(diffValues({ a: { b: 1 } }, { a: [1] }, 'config')).toEqual([
      { path: 'config.a', before: { b: 1 }, after: [1] },
    ]);
    const retyped = { ...v1, nodes: v1.nodes.map((n) => (n.id === 'note' ? { ...n, type: 'fail' } : n)) };
    expect(diffDocuments(v1, retyped).nodeChanges).toEqual([
      { id: 'note', fields: [{ path: 'type', before: 'log', after: 'fail' }] },
    ]);
  });

  it('shows values short and marks an absent one', () => {
    expect(showValue(undefined)).toBe('(none)');
    expect(showValue('paid')).toBe('"paid"');
    expect(showValue({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(showValue('x'.repeat(200), 10)).toHaveLength(10);
  });
});
