import { describe, expect, it } from 'vitest';
import { defaultConfig, nodeOutputs, summaryOf } from '../src/flow/catalog.js';
import { documentToFlow } from '../src/flow/convert.js';
import { diffDocuments, isEmptyDiff } from '../src/flow/diff.js';
import { configFieldOf, groupIssues } from '../src/flow/issues.js';
import { connectionProblem, newNodeId, pruneDanglingEdges } from '../src/flow/rules.js';
import { applySuggestion, collectPaths, openExpressionAt, suggest } from '../src/inspector/contextPaths.js';

const { nodes, edges } = documentToFlow({
  name: 'x',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: {} },
    {
      id: 'route',
      type: 'switch',
      config: { value: '{{ context.event.action }}', cases: [{ id: 'paid', equals: 'paid' }] },
    },
    { id: 'save', type: 'table.upsert', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save' },
  ],
});

describe('connection rules', () => {
  it('refuses cycles, self loops, edges into a trigger and duplicates', () => {
    expect(connectionProblem(nodes, edges, { source: 'save', target: 'route' })).toMatch(/cycle/);
    expect(connectionProblem(nodes, edges, { source: 'save', target: 'save' })).toMatch(/itself/);
    expect(connectionProblem(nodes, edges, { source: 'save', target: 'trigger' })).toMatch(/trigger/);
    expect(connectionProblem(nodes, edges, { source: 'route', sourceHandle: 'paid', target: 'save' })).toMatch(
      /already/,
    );
    expect(connectionProblem(nodes, edges, { source: 'route', sourceHandle: 'default', target: 'save' })).toBeNull();
  });

  it('names new nodes after their type, uniquely', () => {
    expect(newNodeId('table.upsert', ['trigger'])).toBe('table_upsert');
    expect(newNodeId('table.upsert', ['table_upsert'])).toBe('table_upsert_2');
    expect(newNodeId('stripe.invoice', [])).toBe('trigger');
  });

  it('drops edges from outputs that no longer exist', () => {
    expect(pruneDanglingEdges(edges, 'route', ['default']).map((e) => e.id)).toEqual(['e1']);
    expect(pruneDanglingEdges(edges, 'route', ['paid', 'default']).map((e) => e.id)).toEqual(['e1', 'e2']);
  });
});

describe('catalog helpers', () => {
  it('gives a Switch one output per case plus default, even while the config is incomplete', () => {
    expect(
      nodeOutputs('switch', {
        value: 'x',
        cases: [
          { id: 'paid', equals: 'paid' },
          { id: 'failed', equals: 'payment_failed' },
        ],
      }),
    ).toEqual(['paid', 'failed', 'default']);
    expect(nodeOutputs('switch', { cases: [{ id: 'paid' }] })).toEqual(['paid', 'default']);
    expect(nodeOutputs('if', { condition: true })).toEqual(['true', 'false']);
    expect(nodeOutputs('table.upsert', {})).toEqual(['main']);
  });

  it('starts nodes with their required fields', () => {
    expect(defaultConfig('switch')).toEqual({ value: '{{ context.event.action }}', cases: [] });
    expect(defaultConfig('stripe.charge')).toEqual({ actions: [] });
    expect(defaultConfig('log')).toEqual({ message: '' });
  });

  it('summarises configs in one line', () => {
    expect(summaryOf('switch', { value: '{{ context.event.action }}' })).toBe('on event.action');
    expect(summaryOf('stripe.invoice', { actions: [] })).toBe('every action');
    expect(summaryOf('table.upsert', { table: 'invoices', key: '{{ context.event.object.id }}' })).toBe(
      'invoices · event.object.id',
    );
  });
});

describe('issues', () => {
  it('groups engine issues by node and maps config paths to form fields', () => {
    const grouped = groupIssues([
      { path: 'nodes[route].config.cases[1].equals', message: 'required', text: '' },
      { path: 'edges[e2].sourceHandle', message: 'bad', text: '' },
      { path: 'nodes', message: 'no trigger', text: '' },
    ]);
    expect([...grouped.byNode.keys()]).toEqual(['route']);
    expect([...grouped.byEdge.keys()]).toEqual(['e2']);
    expect(grouped.general).toHaveLength(1);
    expect(configFieldOf('nodes[route].config.cases[1].equals', 'route')).toBe('cases[1].equals');
    expect(configFieldOf('nodes[route].type', 'route')).toBeNull();
  });
});

describe('expression completion', () => {
  const paths = collectPaths(
    { id: 'evt_1', object: { id: 'in_1', lines: { data: [{ amount: 5 }] } } },
    'context.event',
  );

  it('collects paths with value previews, arrays through [0]', () => {
    expect(paths.map((p) => p.path)).toContain('context.event.object.lines.data[0].amount');
    expect(paths.find((p) => p.path === 'context.event.id')?.preview).toBe('"evt_1"');
  });

  it('completes only inside an open {{', () => {
    expect(openExpressionAt('{{ context.ev', 13)).toEqual({ fragment: 'context.ev', start: 3 });
    expect(openExpressionAt('{{ a }} context.ev', 18)).toBeNull();
    expect(suggest(paths, 'context.event.ob')[0]?.path).toBe('context.event.object');
  });

  it('inserts the path and closes the braces when needed', () => {
    expect(applySuggestion('{{ context.ev', 3, 13, 'context.event.id').text).toBe('{{ context.event.id }}');
    expect(applySuggestion('{{ context.ev }}', 3, 13, 'context.event.id').text).toBe('{{ context.event.id }}');
  });
});

describe('publish diff', () => {
  it('ignores layout and names changed nodes and connections', () => {
    const before = {
      name: 'a',
      nodes: [{ id: 'x', type: 'log', config: { message: 'hi' }, position: { x: 0, y: 0 } }],
      edges: [],
    };
    expect(
      isEmptyDiff(diffDocuments(before, { ...before, nodes: [{ ...before.nodes[0]!, position: { x: 5, y: 5 } }] })),
    ).toBe(true);
    const after = {
      name: 'b',
      nodes: [
        { id: 'x', type: 'log', config: { message: 'bye' } },
        { id: 'y', type: 'log', config: { message: 'z' } },
      ],
      edges: [{ id: 'e', source: 'x', target: 'y' }],
    };
    const d = diffDocuments(before, after);
    expect(d).toMatchObject({
      renamed: { from: 'a', to: 'b' },
      addedNodes: ['y'],
      changedNodes: ['x'],
      addedEdges: ['x → y'],
    });
  });
});
