import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkflowRecord } from '../src/api/types.js';
import { CanvasStoreProvider } from '../src/canvas/store/context.js';
import { TestRunSection } from '../src/canvas/TestRunSection.js';

/** The editor's stored events, as GET /environments/editor/events answers them. */
const stored = [
  { id: 'evt_payout', type: 'payout.paid', action: 'paid', receivedAt: '2026-12-01T10:00:00.000Z', status: 'received' },
  {
    id: 'evt_invoice',
    type: 'invoice.paid',
    action: 'paid',
    receivedAt: '2026-12-01T10:01:00.000Z',
    status: 'received',
  },
];

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(JSON.stringify(stored), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function record(trigger: { type: string; config: Record<string, unknown> }): WorkflowRecord {
  return {
    id: 'wf_1',
    name: 'Payouts',
    version: 1,
    triggerType: trigger.type,
    document: {
      name: 'Payouts',
      nodes: [
        { id: 'trigger', ...trigger },
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
}

const renderPanel = (trigger: { type: string; config: Record<string, unknown> }) =>
  render(
    <CanvasStoreProvider init={{ record: record(trigger), view: null }}>
      <TestRunSection workflowId="wf_1" saveNow={async () => {}} />
    </CanvasStoreProvider>,
  );

const optionTexts = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.value);

describe('test run samples', () => {
  it('offers "On any Stripe event" the samples of the types its patterns cover, first chosen by default', async () => {
    renderPanel({ type: 'stripe.event', config: { types: ['payout.*'] } });
    const select = await screen.findByLabelText('Sample event');
    const types = optionTexts(select);
    expect(types.length).toBeGreaterThan(1);
    expect(types.every((t) => t.startsWith('payout.'))).toBe(true);
    expect((select as HTMLSelectElement).value).toMatch(/^payout\./);
  });

  it('lists only the stored events the trigger fires on', async () => {
    renderPanel({ type: 'stripe.event', config: { types: ['payout.*'] } });
    // The invoice event is stored too, but this trigger does not fire on it.
    const radio = await screen.findByRole('radio', { name: 'Stored event (1)' });
    fireEvent.click(radio);
    expect(await screen.findByRole('option', { name: 'payout.paid · evt_payout' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /invoice\.paid/ })).toBeNull();
  });
});
