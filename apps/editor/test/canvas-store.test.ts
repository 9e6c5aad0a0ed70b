import { describe, expect, it } from 'vitest';
import type { Execution, WorkflowDoc, WorkflowRecord } from '../src/api/types.js';
import { createCanvasStore } from '../src/canvas/store/createCanvasStore.js';
import { isDirty, saveStatus } from '../src/canvas/store/document.js';
import { shownEdges } from '../src/canvas/store/run.js';
import { selectedNode } from '../src/canvas/store/selectors.js';

const DOC: WorkflowDoc = {
  name: 'Track invoices',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } },
    {
      id: 'route',
      type: 'switch',
      config: { value: '{{ context.event.action }}', cases: [{ id: 'paid', equals: 'paid' }] },
      position: { x: 300, y: 0 },
    },
    {
      id: 'save',
      type: 'table.upsert',
      config: { table: 'invoices', key: '{{ context.event.object.id }}', values: { status: 'paid' } },
      position: { x: 600, y: 0 },
    },
  ],
  edges: [
    { id: 'e1', source: 'trigger', target: 'route' },
    { id: 'e2', source: 'route', sourceHandle: 'paid', target: 'save' },
  ],
};

const record = (document: WorkflowDoc = DOC): WorkflowRecord => ({
  id: 'wf_1',
  name: String(document.name),
  version: 3,
  triggerType: 'stripe.invoice',
  document,
  warnings: [],
  draft: null,
  etag: '"1.0"',
  published: { staging: null, production: null },
  updatedAt: '2026-12-01T00:00:00.000Z',
});

/** A store with a hand-driven clock, so coalescing of edits is deterministic. */
function setup(opts: { view?: Execution } = {}) {
  let t = 1_000_000;
  const tick = (ms: number) => {
    t += ms;
  };
  const view = opts.view ? { execution: opts.view, document: DOC } : null;
  const store = createCanvasStore({ record: record(), view, now: () => t });
  return { store, s: () => store.getState(), tick };
}

const ids = (nodes: readonly { id: string }[]) => nodes.map((n) => n.id);
/** Two unmeasured cards (240 × 96) at these corners overlap. */
const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  Math.abs(a.x - b.x) < 240 && Math.abs(a.y - b.y) < 96;
const select = (store: ReturnType<typeof setup>['store'], ...chosen: string[]) =>
  store
    .getState()
    .onNodesChange(store.getState().nodes.map((n) => ({ type: 'select', id: n.id, selected: chosen.includes(n.id) })));

function execution(steps: Partial<Execution['steps'][number]>[]): Execution {
  return {
    id: 'ex_1',
    workflowId: 'wf_1',
    workflowVersion: 3,
    environment: 'editor',
    eventId: 'evt_1',
    eventType: 'invoice.paid',
    objectId: 'in_1',
    origin: 'event',
    parentId: null,
    status: 'succeeded',
    attempt: 1,
    error: null,
    errorNodeId: null,
    deadLettered: false,
    runAt: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-12-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    steps: steps.map((p) => ({
      nodeId: 'trigger',
      stepKey: p.nodeId ?? 'trigger',
      nodeType: 'stripe.invoice',
      status: 'succeeded',
      input: null,
      output: null,
      handles: [],
      error: null,
      errorDetail: null,
      attempt: 1,
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:00:00.000Z',
      ...p,
    })),
  };
}

describe('canvas store: history', () => {
  it('undoes and redoes an added node, and a new edit drops the redo', () => {
    const { store, s } = setup();
    expect(s().past).toHaveLength(0);
    s().addNode('delay', { center: { x: 10, y: 10 } });
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save', 'delay']);
    s().undo();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save']);
    expect(s().future).toHaveLength(1);
    s().redo();
    expect(ids(s().nodes)).toContain('delay');
    s().undo();
    s().deleteNode('save');
    expect(s().future).toHaveLength(0);
    expect(s().edges.map((e) => e.id)).toEqual(['e1']);
    s().undo();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save']);
    expect(s().edges.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(store.getState().past).toHaveLength(0);
  });

  it('makes one step of quick edits to one field, and separate steps after a pause', () => {
    const { s, tick } = setup();
    const table = () => s().nodes.find((n) => n.id === 'save')!.data.config.table;
    s().setConfig('save', { table: 'i' });
    tick(300);
    s().setConfig('save', { table: 'in' });
    tick(300);
    s().setConfig('save', { table: 'inv' });
    expect(s().past).toHaveLength(1);
    tick(1500);
    s().setConfig('save', { table: 'invo' });
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(table()).toBe('inv');
    s().undo();
    expect(table()).toBe('invoices');
  });

  it('undoes a rename of the workflow', () => {
    const { s } = setup();
    s().setName('Invoices');
    expect(s().meta.name).toBe('Invoices');
    s().undo();
    expect(s().meta.name).toBe('Track invoices');
  });
});

describe('canvas store: selection', () => {
  it('edits the one selected node, none when several are selected', () => {
    const { store, s } = setup();
    expect(selectedNode(s())).toBeNull();
    select(store, 'route');
    expect(selectedNode(s())?.id).toBe('route');
    select(store, 'route', 'save');
    expect(selectedNode(s())).toBeNull();
  });

  it('selects a node added after the selected one, and connects its first free output', () => {
    const { store, s } = setup();
    select(store, 'save');
    s().addNode('delay', { center: { x: 0, y: 0 } });
    expect(selectedNode(s())?.id).toBe('delay');
    // One column to the right of its source (240 px card + 90 px gap).
    expect(s().nodes.find((n) => n.id === 'delay')!.position).toEqual({ x: 930, y: 0 });
    expect(s().reveal?.ids).toEqual(['delay']);
    expect(s().edges.at(-1)).toMatchObject({ source: 'save', target: 'delay' });
    // Dropped at a point: placed there, not connected.
    s().addNode('delay', { at: { x: 5, y: 6 } });
    expect(s().nodes.at(-1)).toMatchObject({ id: 'delay_2', position: { x: 5, y: 6 }, selected: true });
    expect(s().edges.filter((e) => e.target === 'delay_2')).toEqual([]);
  });

  it('refuses a second trigger and a cycle with a notice, changing nothing', () => {
    const { s } = setup();
    const before = { nodes: s().nodes, edges: s().edges };
    s().addNode('stripe.charge', { center: { x: 0, y: 0 } });
    expect(s().notice).toBe('A workflow has exactly one trigger.');
    s().connect('save', null, 'route');
    expect(s().notice).toMatch(/cycle/);
    expect({ nodes: s().nodes, edges: s().edges }).toEqual(before);
    expect(s().past).toHaveLength(0);
  });

  it('lets a run in view be selected but not edited', () => {
    const { store, s } = setup({ view: execution([{ nodeId: 'trigger' }]) });
    select(store, 'save');
    expect(selectedNode(s())?.id).toBe('save');
    s().onNodesChange([{ type: 'position', id: 'save', position: { x: 1, y: 1 } }]);
    s().onNodesChange([{ type: 'remove', id: 'save' }]);
    expect(s().nodes.find((n) => n.id === 'save')!.position).toEqual({ x: 600, y: 0 });
    expect(s().beforeDelete()).toBe(false);
    s().addNode('delay', { center: { x: 0, y: 0 } });
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save']);
  });
});

describe('canvas store: placing nodes', () => {
  it('adds a node from a "+" connected from that output, in free space beside its source', () => {
    const { s } = setup();
    // `save` already sits right of `route`: the new node goes below it, in the same column.
    s().addNode('log', { from: { source: 'route', handle: 'default' } });
    const log = s().nodes.find((n) => n.id === 'log')!;
    expect(log.position.x).toBe(630);
    expect(overlap(log.position, { x: 600, y: 0 })).toBe(false);
    expect(s().edges.at(-1)).toMatchObject({ source: 'route', sourceHandle: 'default', target: 'log' });
    expect(selectedNode(s())?.id).toBe('log');
    expect(s().picker).toBeNull();
    s().undo();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save']);
    expect(s().edges).toHaveLength(2);
  });

  it('adds a clicked node near the middle of the view but never on top of another', () => {
    const { s } = setup();
    s().addNode('log', { center: { x: 730, y: 48 } });
    const log = s().nodes.find((n) => n.id === 'log')!;
    for (const o of s().nodes.filter((n) => n.id !== 'log')) expect(overlap(log.position, o.position)).toBe(false);
    expect(s().edges).toHaveLength(2);
  });

  it('selects every node and edge with select-all', () => {
    const { s } = setup();
    s().selectAll();
    expect(s().nodes.every((n) => n.selected)).toBe(true);
    expect(s().edges.every((e) => e.selected)).toBe(true);
  });
});

describe('canvas store: sticky notes', () => {
  it('adds, edits and undoes a note, saved in the document and nowhere among the nodes', () => {
    const { s } = setup();
    s().addNote({ x: 0, y: 300 });
    expect(ids(s().notes)).toEqual(['note_1']);
    s().setNoteText('note_1', 'Paid invoices only');
    const doc = JSON.parse(s().docKey) as WorkflowDoc;
    expect(doc.notes).toEqual([
      { id: 'note_1', text: 'Paid invoices only', position: expect.any(Object), size: { width: 240, height: 140 } },
    ]);
    expect(ids(doc.nodes)).toEqual(['trigger', 'route', 'save']);
    expect(s().validation.ok).toBe(true);
    // Moving a note is a change of the document; selecting it is not.
    const key = s().docKey;
    s().onNodesChange([{ type: 'select', id: 'note_1', selected: false }]);
    expect(s().docKey).toBe(key);
    s().onNodesChange([{ type: 'position', id: 'note_1', position: { x: 40, y: 500 } }]);
    expect((JSON.parse(s().docKey) as WorkflowDoc).notes![0]!.position).toEqual({ x: 40, y: 500 });
    expect(s().nodes.find((n) => n.id === 'note_1')).toBeUndefined();
    s().undo();
    s().undo();
    s().undo();
    expect(s().notes).toEqual([]);
    expect((JSON.parse(s().docKey) as WorkflowDoc).notes).toBeUndefined();
  });

  it('opens the notes of a saved document', () => {
    const doc: WorkflowDoc = { ...DOC, notes: [{ id: 'n1', text: 'Why', position: { x: 1, y: 2 } }] };
    const store = createCanvasStore({ record: record(doc), view: null });
    expect(store.getState().notes).toMatchObject([{ id: 'n1', data: { text: 'Why' }, position: { x: 1, y: 2 } }]);
    expect(isDirty(store.getState())).toBe(false);
  });
});

describe('canvas store: copy and paste', () => {
  it('pastes the selection with fresh ids, its inner edges renamed, selected, as one undo step', () => {
    const { store, s } = setup();
    select(store, 'route', 'save');
    s().copy();
    expect(s().notice).toBe('Copied 2 node(s).');
    s().paste();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save', 'switch', 'table_upsert']);
    expect(
      s()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['switch', 'table_upsert']);
    // Offset from the originals and moved down into free space: nothing pasted covers a node.
    const pastedNodes = s().nodes.filter((n) => n.selected);
    for (const p of pastedNodes)
      for (const o of s().nodes.filter((n) => !n.selected)) expect(overlap(p.position, o.position)).toBe(false);
    expect(s().nodes.find((n) => n.id === 'table_upsert')!.position.x).toBe(660);
    expect(s().reveal?.ids).toEqual(['switch', 'table_upsert']);
    const pasted = s().edges.filter((e) => e.source === 'switch');
    expect(pasted).toMatchObject([{ sourceHandle: 'paid', target: 'table_upsert' }]);
    expect(s().edges.filter((e) => e.target === 'switch')).toEqual([]);
    s().undo();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save']);
  });

  it('leaves a copied trigger out when the graph has one', () => {
    const { store, s } = setup();
    select(store, 'trigger', 'route');
    s().copy();
    s().paste();
    expect(ids(s().nodes)).toEqual(['trigger', 'route', 'save', 'switch']);
  });
});

describe('canvas store: run overlay', () => {
  it('draws a run: node status and the edges it took, until cleared', () => {
    const { s } = setup();
    expect(s().run).toBeNull();
    expect(shownEdges(s()).map((e) => e.className)).toEqual([undefined, undefined]);
    s().startedTestRun('ex_1');
    s().showRun(
      execution([
        { nodeId: 'trigger' },
        { nodeId: 'route', handles: ['default'] },
        { nodeId: 'save', status: 'skipped' },
      ]),
    );
    expect(Object.fromEntries(s().run!.status)).toEqual({ trigger: 'succeeded', route: 'succeeded', save: 'skipped' });
    expect(shownEdges(s()).map((e) => [e.id, e.className])).toEqual([
      ['e1', 'edge-taken'],
      ['e2', 'edge-idle'],
    ]);
    s().startedTestRun(null);
    expect(s().run).toBeNull();
    expect(s().testRunId).toBeNull();
  });

  it('opens a run in view with it drawn, read-only', () => {
    const { s } = setup({ view: execution([{ nodeId: 'trigger' }, { nodeId: 'route', handles: ['paid'] }]) });
    expect(s().readOnly).toBe(true);
    expect(s().run!.status.get('route')).toBe('succeeded');
    expect(shownEdges(s()).find((e) => e.id === 'e1')!.animated).toBe(true);
  });
});

describe('canvas store: document and autosave', () => {
  it('marks the document dirty when a node moves, not when it is selected', () => {
    const { store, s } = setup();
    const saved = s().docKey;
    expect(s().validation.ok).toBe(true);
    expect(isDirty(s())).toBe(false);
    expect(saveStatus(s())).toBe('saved');
    select(store, 'save');
    expect(isDirty(s())).toBe(false);
    s().beforeDrag();
    s().onNodesChange([{ type: 'position', id: 'save', position: { x: 700, y: 20 } }]);
    expect(isDirty(s())).toBe(true);
    expect(saveStatus(s())).toBe('pending');
    expect(JSON.parse(s().docKey).nodes[2].position).toEqual({ x: 700, y: 20 });
    s().undo();
    expect(s().docKey).toBe(saved);
    expect(isDirty(s())).toBe(false);
  });

  it('is clean again once that document is saved', () => {
    const { s } = setup();
    s().setLabel('save', 'Save it');
    const key = s().docKey;
    s().setSaving(true);
    expect(saveStatus(s())).toBe('saving');
    s().setSaving(false);
    s().saved(key, { version: 4, document: JSON.parse(key), published: { staging: null, production: null } });
    expect(isDirty(s())).toBe(false);
    expect(s().latest.version).toBe(4);
  });

  it('validates as it goes and shows the server refusal of that document until the next edit', () => {
    const { s } = setup();
    s().deleteNode('trigger');
    expect(s().validation.ok).toBe(false);
    expect(saveStatus(s())).toBe('invalid');
    s().undo();
    s().setConfig('save', { ...s().nodes[2]!.data.config, table: 'other' });
    s().saveFailed({
      key: s().docKey,
      message: 'invalid workflow',
      issues: [{ path: 'nodes[save].config.table', message: 'no such table' }],
    });
    expect(saveStatus(s())).toBe('error');
    expect(
      s()
        .issues.byNode.get('save')!
        .map((i) => i.text),
    ).toEqual(['nodes[save].config.table: no such table']);
    s().setConfig('save', { ...s().nodes[2]!.data.config, table: 'others' });
    expect(saveStatus(s())).toBe('pending');
    expect(s().issues.byNode.get('save')).toBeUndefined();
  });

  it('gives every open workflow its own store', () => {
    const a = setup();
    const b = setup();
    a.s().deleteNode('save');
    expect(ids(b.s().nodes)).toEqual(['trigger', 'route', 'save']);
    expect(b.s().past).toHaveLength(0);
    expect(isDirty(b.s())).toBe(false);
  });
});
