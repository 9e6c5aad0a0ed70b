import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../src/api/types.js';
import { CanvasStoreProvider, useCanvasStore } from '../src/canvas/store/context.js';
import { WorkflowProblems } from '../src/canvas/WorkflowProblems.js';

afterEach(cleanup);

const record: WorkflowRecord = {
  id: 'wf_1',
  name: 'Track invoices',
  version: 1,
  triggerType: 'stripe.invoice',
  document: {
    name: 'Track invoices',
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: {} },
      { id: 'log', type: 'log', config: { message: 'hello' } },
    ],
    edges: [{ id: 'e1', source: 'trigger', target: 'log' }],
  },
  warnings: [],
  draft: null,
  etag: '"1.0"',
  published: { staging: null, production: null },
  updatedAt: '2026-12-01T00:00:00.000Z',
};

function NodeCount({ label, remove = 'log' }: { label: string; remove?: string }) {
  const count = useCanvasStore((s) => s.nodes.length);
  const deleteNode = useCanvasStore((s) => s.deleteNode);
  return (
    <section aria-label={label}>
      <output>{count}</output>
      <button type="button" onClick={() => deleteNode(remove)}>
        Delete {remove}
      </button>
    </section>
  );
}

describe('canvas store provider', () => {
  it('gives each canvas its own store', () => {
    render(
      <>
        <CanvasStoreProvider init={{ record, view: null }}>
          <NodeCount label="first" />
        </CanvasStoreProvider>
        <CanvasStoreProvider init={{ record, view: null }}>
          <NodeCount label="second" />
        </CanvasStoreProvider>
      </>,
    );
    const first = within(screen.getByRole('region', { name: 'first' }));
    const second = within(screen.getByRole('region', { name: 'second' }));
    fireEvent.click(first.getByRole('button', { name: 'Delete log' }));
    expect(first.getByRole('status').textContent).toBe('1');
    expect(second.getByRole('status').textContent).toBe('2');
  });

  it('says where it is missing', () => {
    expect(() => render(<NodeCount label="alone" />)).toThrow(/CanvasStoreProvider/);
  });

  it('shows the problems of the document as it is edited', () => {
    render(
      <CanvasStoreProvider init={{ record, view: null }}>
        <WorkflowProblems />
        <NodeCount label="graph" remove="trigger" />
      </CanvasStoreProvider>,
    );
    expect(screen.getByText('No problems.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete trigger' }));
    expect(screen.queryByText('No problems.')).toBeNull();
    expect(screen.getByRole('heading', { name: /^Problems \(\d+\)$/ })).toBeTruthy();
  });
});
