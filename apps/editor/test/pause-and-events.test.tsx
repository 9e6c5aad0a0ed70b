import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deployment, EventDetail, WorkflowSummary } from '../src/api/types.js';
import { EventsPage } from '../src/pages/EventsPage.js';
import { WorkflowsPage } from '../src/pages/WorkflowsPage.js';

/** The admin API behind `fetch`: answers by "METHOD path" from the state below, and records every call. */
let calls: { method: string; path: string; body: unknown }[];
let deployments: Deployment[];

const workflow: WorkflowSummary = {
  id: 'wf_1',
  name: 'Track invoices',
  version: 3,
  triggerType: 'stripe.invoice',
  updatedAt: '2026-01-01T10:00:00.000Z',
  published: { staging: 2, production: null },
};

const document = { name: 'Track invoices', nodes: [{ id: 'trigger', type: 'stripe.invoice', config: {} }], edges: [] };

const detail: EventDetail = {
  id: 'evt_sample_test_ab12',
  type: 'invoice.paid',
  action: 'paid',
  objectId: 'in_1',
  created: 1767261600,
  livemode: false,
  receivedAt: '2026-01-01T10:00:00.000Z',
  status: 'processed',
  test: true,
  payload: { id: 'evt_sample_test_ab12' },
  workflows: [
    { workflowId: 'wf_1', name: 'Track invoices', ran: true, reason: 'ran' },
    { workflowId: 'wf_2', name: 'Customers', ran: false, reason: 'other trigger' },
    { workflowId: 'wf_3', name: 'Copy', ran: false, reason: 'paused' },
  ],
};

function answer(method: string, path: string, body: unknown): { status: number; body: unknown } {
  if (method === 'GET' && path === '/workflows') return { status: 200, body: [workflow] };
  if (method === 'GET' && path === '/deployments') return { status: 200, body: deployments };
  if (method === 'GET' && path === '/workflows/wf_1')
    return { status: 200, body: { ...workflow, document, warnings: [] } };
  if (method === 'POST' && path === '/workflows/import')
    return { status: 201, body: { ...workflow, id: 'wf_copy', name: (body as { name: string }).name, document } };
  const patch = /^\/workflows\/(\w+)\/deployments\/(\w+)$/.exec(path);
  if (method === 'PATCH' && patch) {
    const d = deployments.find((x) => x.workflowId === patch[1] && x.environment === patch[2])!;
    d.enabled = (body as { enabled: boolean }).enabled;
    return { status: 200, body: d };
  }
  if (method === 'GET' && path.startsWith('/environments/editor/events?'))
    return { status: 200, body: [{ ...detail, payload: undefined, workflows: undefined }] };
  if (method === 'GET' && path === `/environments/editor/events/${detail.id}`) return { status: 200, body: detail };
  return { status: 404, body: { error: 'not_found', message: `${method} ${path}` } };
}

beforeEach(() => {
  calls = [];
  deployments = [
    { workflowId: 'wf_1', environment: 'editor', version: 3, enabled: true, updatedAt: '2026-01-01T10:00:00.000Z' },
    { workflowId: 'wf_1', environment: 'staging', version: 2, enabled: false, updatedAt: '2026-01-01T10:00:00.000Z' },
  ];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = String(input).replace(/^\/admin\/api/, '');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path, body });
      const a = answer(method, path, body);
      return new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Workflows page: on or paused per environment', () => {
  it('shows each environment as on, paused or not published, and toggles one', async () => {
    render(<WorkflowsPage env="editor" />);
    const editor = (await screen.findByLabelText('Track invoices on in editor')) as HTMLInputElement;
    const staging = screen.getByLabelText('Track invoices on in staging') as HTMLInputElement;
    expect(editor.checked).toBe(true);
    expect(staging.checked).toBe(false);
    expect(within(screen.getByTestId('deployment-staging')).getByText('paused')).toBeTruthy();
    expect(within(screen.getByTestId('deployment-staging')).getByText('behind')).toBeTruthy();
    expect(screen.getByText('not published')).toBeTruthy();

    fireEvent.click(staging);
    await screen.findByText('“Track invoices” resumed in staging.');
    expect(calls.find((c) => c.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: '/workflows/wf_1/deployments/staging',
      body: { enabled: true },
    });
    await waitFor(() =>
      expect((screen.getByLabelText('Track invoices on in staging') as HTMLInputElement).checked).toBe(true),
    );
  });

  it('duplicates through import, so the copy starts paused', async () => {
    render(<WorkflowsPage env="editor" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Duplicate' }));
    await screen.findByText(/Created “Track invoices \(copy\)”, paused in the editor environment/);
    const created = calls.filter((c) => c.method === 'POST');
    expect(created.map((c) => c.path)).toEqual(['/workflows/import']);
    expect(created[0]!.body).toMatchObject({ name: 'Track invoices (copy)' });
  });
});

describe('Events page: test samples and why each workflow ran', () => {
  it('marks a test sample and lists each workflow with its reason', async () => {
    render(<EventsPage env="editor" eventId={detail.id} />);
    const list = await screen.findByRole('list', { name: 'Why each workflow ran or not' });
    expect([...list.querySelectorAll('li')].map((li) => [li.dataset.reason, li.textContent])).toEqual([
      ['ran', 'Track invoices: ran'],
      ['other trigger', 'Customers: listens to another kind of event'],
      ['paused', 'Copy: paused in this environment'],
    ]);
    const panel = screen.getByRole('complementary', { name: 'Event detail' });
    expect(within(panel).getByText('Test')).toBeTruthy();
    const row = (await screen.findByRole('link', { name: 'invoice.paid' })).closest('tr')!;
    expect(within(row).getByText('Test')).toBeTruthy();
  });
});
