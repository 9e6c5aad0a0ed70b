import { describe, expect, it } from 'vitest';
import { defaultRegistry, registryCatalog, validateWorkflow } from '../src/index.js';

const registry = defaultRegistry;

const base = () => ({
  name: 'v',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: {} },
    {
      id: 'route',
      type: 'switch',
      config: { value: '{{ context.event.action }}', cases: [{ id: 'paid', equals: 'paid' }, { id: 'other' }] },
    },
  ],
  edges: [{ id: 'e1', source: 'trigger', target: 'route' }],
});

const texts = (doc: unknown) => {
  const r = validateWorkflow(doc, { registry });
  return r.ok ? [] : r.errors.map((e) => e.text);
};

describe('validateWorkflow', () => {
  it('names the node id and field', () => {
    const r = validateWorkflow(base(), { registry });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toEqual({
        path: 'nodes[route].config.cases[1].equals',
        message: 'required',
        text: 'nodes[route].config.cases[1].equals: required',
      });
  });

  it('keeps sticky notes, validated, and accepts documents without them', () => {
    const doc = base();
    (doc.nodes[1]!.config.cases as unknown[])[1] = { id: 'other', equals: 'x' };
    expect(validateWorkflow(doc, { registry }).ok).toBe(true);
    const note = { id: 'n1', text: 'Paid only', position: { x: 0, y: 200 }, size: { width: 240, height: 140 } };
    const r = validateWorkflow({ ...doc, notes: [note] }, { registry });
    expect(r.ok && r.workflow.notes).toEqual([note]);
    expect(texts({ ...doc, notes: [{ id: 'n2', text: 7, position: { x: 0 } }] })).toEqual([
      'notes[0].text: must be text',
      'notes[0].position.y: required',
    ]);
  });

  it('requires exactly one trigger', () => {
    expect(texts({ name: 'x', nodes: [{ id: 'a', type: 'log', config: { message: 'm' } }], edges: [] })).toContain(
      'nodes: a workflow needs exactly one trigger (a stripe.* node); found none',
    );
    const two = {
      name: 'x',
      nodes: [
        { id: 't1', type: 'stripe.invoice', config: {} },
        { id: 't2', type: 'stripe.charge', config: {} },
      ],
      edges: [],
    };
    expect(texts(two)[0]).toMatch(/^nodes\[t2\]\.type: a workflow needs exactly one trigger/);
  });

  it('checks edge endpoints and output handles', () => {
    const doc = base();
    (doc.nodes[1]!.config.cases as unknown[])[1] = { id: 'other', equals: 'x' };
    doc.edges.push(
      { id: 'e2', source: 'route', target: 'ghost' } as never,
      { id: 'e3', source: 'route', sourceHandle: 'nope', target: 'trigger' } as never,
    );
    const t = texts(doc);
    expect(t).toContain('edges[e2].target: unknown node "ghost"');
    expect(t).toContain(
      'edges[e2].sourceHandle: "" is not an output of node "route" (expected one of paid, other, default)',
    );
    expect(t).toContain(
      'edges[e3].sourceHandle: "nope" is not an output of node "route" (expected one of paid, other, default)',
    );
    expect(t).toContain('edges[e3].target: a trigger cannot have incoming edges');
  });

  it('rejects cycles and warns about unreachable nodes', () => {
    const doc = {
      name: 'c',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: {} },
        { id: 'a', type: 'log', config: { message: 'a' } },
        { id: 'b', type: 'log', config: { message: 'b' } },
        { id: 'lonely', type: 'log', config: { message: 'c' } },
      ],
      edges: [
        { id: 'e1', source: 'trigger', target: 'a' },
        { id: 'e2', source: 'a', target: 'b' },
        { id: 'e3', source: 'b', target: 'a' },
      ],
    };
    const r = validateWorkflow(doc, { registry });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.text)).toEqual([
        'nodes[a]: part of a cycle; workflows must be acyclic',
        'nodes[b]: part of a cycle; workflows must be acyclic',
      ]);
      expect(r.warnings.map((w) => w.text)).toEqual(['nodes[lonely]: unreachable from the trigger; it will never run']);
    }
  });

  it('reports unknown types, versions, bad configs and bad expressions', () => {
    const doc = {
      name: 'x',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: { actions: 'paid' } },
        { id: 'a', type: 'nope', config: {} },
        { id: 'b', type: 'log', version: 9, config: { message: 'm' } },
        { id: 'c', type: 'log', config: { message: 'bad {{ context.event. }}' } },
        { id: 'd', type: 'table.upsert', config: { table: 'Bad Name', key: 'k', values: {} } },
        { id: 'e', type: 'switch', config: { value: 1, cases: [{ id: 'x', matches: '(a+)\\1$' }] } },
      ],
      edges: [],
    };
    const t = texts(doc);
    expect(t).toContain('nodes[a].type: unknown node type "nope"');
    expect(t).toContain('nodes[b].version: unknown version 9 of log (have 1)');
    expect(t.find((x) => x.startsWith('nodes[trigger].config.actions:'))).toBeDefined();
    expect(t.find((x) => x.startsWith('nodes[c].config.message: invalid expression at position'))).toBeDefined();
    expect(t.find((x) => x.startsWith('nodes[d].config.table:'))).toBeDefined();
    expect(t).toContain(
      'nodes[e].config.cases[0].matches: this pattern uses a backreference (\\1), which Switchyard does not support',
    );
  });

  it('reports document shape errors by node id', () => {
    expect(texts({ name: '', nodes: [{ id: 'n1', type: '' }] })).toEqual([
      'name: required',
      'nodes[n1].type: required',
    ]);
    expect(texts({ name: 'x', nodes: 'no' })[0]).toMatch(/^nodes: /);
  });

  it('keeps loop bodies closed', () => {
    const doc = {
      name: 'l',
      nodes: [
        { id: 'trigger', type: 'stripe.invoice', config: {} },
        { id: 'loop', type: 'loop', config: { items: '{{ [1] }}' } },
        { id: 'body', type: 'log', config: { message: 'x' } },
      ],
      edges: [
        { id: 'e1', source: 'trigger', target: 'loop' },
        { id: 'e2', source: 'loop', sourceHandle: 'each', target: 'body' },
        { id: 'e3', source: 'trigger', target: 'body' },
      ],
    };
    expect(texts(doc)).toEqual([
      'edges[e3].target: "body" is inside the body of loop "loop" and can only be reached through its each output',
    ]);
  });

  it('pins versions and applies config defaults', () => {
    const doc = base();
    (doc.nodes[1]!.config.cases as unknown[])[1] = { id: 'other', equals: 'x' };
    const r = validateWorkflow(doc, { registry });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.workflow.nodes[0]).toMatchObject({ version: 1, config: { actions: [] } });
    }
  });
});

describe('registry catalog', () => {
  it('lists every node with JSON Schema and outputs', () => {
    const cat = registryCatalog();
    const types = cat.map((c) => c.type);
    for (const t of [
      'stripe.invoice',
      'switch',
      'if',
      'filter',
      'loop',
      'set',
      'log',
      'fail',
      'table.upsert',
      'table.insert',
      'table.update',
      'table.delete',
      'table.query',
      'http.request',
      'stripe.request',
      'email.send',
    ]) {
      expect(types).toContain(t);
    }
    const sw = cat.find((c) => c.type === 'switch')!;
    expect(sw.dynamicOutputs).toBeDefined();
    expect(sw.outputs).toEqual(['default']);
    expect((sw.configJsonSchema as { type: string }).type).toBe('object');
    const inv = cat.find((c) => c.type === 'stripe.invoice')!;
    expect(inv).toMatchObject({ category: 'trigger', label: 'On invoice event' });
    expect(inv.trigger?.actions).toContain('payment_failed');
    expect(inv.trigger?.sampleEventTypes).toContain('invoice.paid');
    expect(cat.find((c) => c.type === 'if')?.outputs).toEqual(['true', 'false']);
  });
});
