import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Execution, ExecutionSummary } from '../src/api/types.js';
import { ExecutionsPage } from '../src/pages/ExecutionsPage.js';

/**
 * The executions calls behind `fetch`, with the server's rules: every filter narrows, pages of `limit` with
 * X-Next-Cursor, the dead-letter view is failed and not retried, a bulk retry takes at most `BATCH` per call
 * and answers how many remain, and a filter without `to` is bounded by the server's clock (`SERVER_NOW`), which
 * it answers as `until`.
 */
let runs: ExecutionSummary[];
let calls: { method: string; path: string; query: URLSearchParams; body: unknown }[];
let BATCH = 100;
/** The database's clock, behind the browser's: runs created after it are not the bulk retry's. */
const SERVER_NOW = '2026-12-01T10:00:08.000001+00:00';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function run(i: number, over: Partial<ExecutionSummary> = {}): ExecutionSummary {
  return {
    id: String(i),
    workflowId: i % 2 ? 'wf_inv' : 'wf_cus',
    workflowVersion: 1,
    environment: 'production',
    eventId: `evt_${i}`,
    eventType: i % 2 ? 'invoice.paid' : 'customer.created',
    objectId: i % 2 ? `in_${i}` : `cus_${i}`,
    origin: 'event',
    parentId: null,
    status: 'failed',
    attempt: 1,
    error: 'broken on purpose',
    errorNodeId: 'check',
    deadLettered: true,
    retriedAt: null,
    runAt: '2026-12-01T10:00:00.000Z',
    createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
    startedAt: null,
    finishedAt: null,
    steps: [
      { nodeId: 'trigger', status: 'succeeded' },
      { nodeId: 'check', status: 'failed' },
    ],
    ...over,
  };
}

const matches = (r: ExecutionSummary, q: URLSearchParams | Record<string, string | undefined>) => {
  const get = (k: string) => (q instanceof URLSearchParams ? (q.get(k) ?? undefined) : q[k]);
  return (
    (!get('environment') || r.environment === get('environment')) &&
    (!get('workflowId') || r.workflowId === get('workflowId')) &&
    (!get('status') || r.status === get('status')) &&
    (!get('type') || r.eventType === get('type')) &&
    (!get('objectId') || r.objectId === get('objectId')) &&
    (!get('to') || Date.parse(r.createdAt) < Date.parse(get('to')!)) &&
    (get('deadLetter') !== 'true' || (r.status === 'failed' && r.retriedAt === null))
  );
};

function answer(method: string, url: URL, body: unknown): Response {
  const path = url.pathname.replace(/^\/admin\/api/, '');
  if (method === 'GET' && path === '/workflows')
    return json(200, [
      { id: 'wf_inv', name: 'Invoices', version: 1, triggerType: 'stripe.invoice', updatedAt: '', published: {} },
      { id: 'wf_cus', name: 'Customers', version: 1, triggerType: 'stripe.customer', updatedAt: '', published: {} },
    ]);
  if (method === 'GET' && path === '/executions') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const cursor = url.searchParams.get('cursor');
    const all = runs
      .filter((r) => matches(r, url.searchParams))
      .sort((a, b) => Number(b.id) - Number(a.id))
      .filter((r) => cursor === null || Number(r.id) < Number(cursor));
    const page = all.slice(0, limit);
    return json(200, page, all.length > limit ? { 'X-Next-Cursor': page.at(-1)!.id } : {});
  }
  const detail = /^\/executions\/(\d+)$/.exec(path);
  if (method === 'GET' && detail) {
    const r = runs.find((x) => x.id === detail[1])!;
    const full: Execution = {
      ...r,
      steps: r.steps.map((s, i) => ({
        ...s,
        stepKey: s.nodeId,
        nodeType: i === 0 ? 'stripe.invoice' : 'fail',
        input: null,
        output: i === 0 ? { invoice: r.objectId } : null,
        handles: [],
        error: s.status === 'failed' ? 'broken on purpose' : null,
        errorDetail: null,
        attempt: 1,
        startedAt: r.createdAt,
        finishedAt: r.createdAt,
      })),
    };
    return json(200, full);
  }
  if (method === 'POST' && path === '/executions/retry') {
    const b = body as { ids?: string[]; filter?: Record<string, string>; version: string };
    const filter = b.filter && { ...b.filter, to: b.filter.to ?? SERVER_NOW };
    const candidates = runs
      .filter((r) => r.status === 'failed' && r.retriedAt === null)
      .filter((r) => (b.ids ? b.ids.includes(r.id) : matches(r, filter!)));
    const taken = candidates.slice(0, BATCH);
    for (const r of taken) r.retriedAt = '2026-12-01T11:00:00.000Z';
    return json(200, {
      retried: taken.length,
      remaining: b.ids ? 0 : candidates.length - taken.length,
      executions: taken.map((r) => ({ id: `r${r.id}`, parentId: r.id })),
      skipped: [],
      ...(filter ? { until: filter.to } : {}),
    });
  }
  return json(404, { error: 'not_found', message: `${method} ${path}` });
}

beforeEach(() => {
  BATCH = 100;
  calls = [];
  runs = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const url = new URL(String(input), 'http://editor.test');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path: url.pathname.replace(/^\/admin\/api/, ''), query: url.searchParams, body });
      return answer(method, url, body);
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const listCalls = () => calls.filter((c) => c.method === 'GET' && c.path === '/executions');
const rowsShown = () => screen.getAllByRole('checkbox', { name: /^Select execution/ }).length;

describe('Executions page', () => {
  it('searches by workflow, status, event type, object id and time, scoped to the environment', async () => {
    runs = [run(1), run(2), run(3, { status: 'succeeded', error: null }), run(4)];
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_1');
    expect(listCalls()[0]!.query.get('environment')).toBe('production');

    fireEvent.change(screen.getByLabelText('Stripe object id'), { target: { value: ' in_1 ' } });
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'invoice.paid' } });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Invoices' })).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Workflow'), { target: { value: 'wf_inv' } });
    fireEvent.change(screen.getByLabelText('Status filter'), { target: { value: 'failed' } });
    fireEvent.change(screen.getByLabelText('Created before'), { target: { value: '2026-12-02T09:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.queryByText('cus_2')).toBeNull());
    const q = listCalls().at(-1)!.query;
    expect(Object.fromEntries(q)).toMatchObject({
      environment: 'production',
      objectId: 'in_1',
      type: 'invoice.paid',
      workflowId: 'wf_inv',
      status: 'failed',
      to: new Date('2026-12-02T09:30').toISOString(),
    });
    expect(q.has('deadLetter')).toBe(false);
    expect(screen.getByText('in_1')).toBeTruthy();
    expect(screen.queryByText('in_3')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await screen.findByText('cus_4');
    expect(listCalls().at(-1)!.query.has('objectId')).toBe(false);
  });

  it("opens filtered as an alert's link asks: a workflow's failures", async () => {
    runs = [run(1), run(2), run(3, { status: 'succeeded', error: null })];
    window.history.pushState(null, '', '/production/executions?workflowId=wf_inv&status=failed');
    try {
      render(<ExecutionsPage env="production" />);
      await screen.findByText('in_1');
      expect(Object.fromEntries(listCalls()[0]!.query)).toMatchObject({ workflowId: 'wf_inv', status: 'failed' });
      expect(screen.queryByText('cus_2')).toBeNull();
      expect(screen.queryByText('in_3')).toBeNull();
      expect((screen.getByLabelText('Status filter') as HTMLSelectElement).value).toBe('failed');
    } finally {
      window.history.pushState(null, '', '/');
    }
  });

  it('pages with "Load more" and shows the dead-letter view', async () => {
    runs = Array.from({ length: 60 }, (_, i) => run(i + 1, i < 5 ? { retriedAt: '2026-12-01T11:00:00.000Z' } : {}));
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_59');
    expect(screen.getAllByText(/^(in|cus)_\d+$/)).toHaveLength(50);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('in_1');
    expect(screen.getAllByText(/^(in|cus)_\d+$/)).toHaveLength(60);
    expect(listCalls().at(-1)!.query.get('cursor')).toBe('11');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    // Runs retried already have no checkbox: there is nothing left to retry on them.
    expect(rowsShown()).toBe(55);

    fireEvent.click(screen.getByRole('tab', { name: 'Dead letter' }));
    await waitFor(() => expect(listCalls().at(-1)!.query.get('deadLetter')).toBe('true'));
    expect(screen.queryByLabelText('Status filter')).toBeNull();
    await screen.findByText(/whose retries are spent/);
  });

  it('retries the selected runs on the chosen version and shows progress', async () => {
    runs = [run(1), run(2), run(3)];
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select execution 1' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select execution 3' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Latest version' }));
    fireEvent.click(screen.getByRole('button', { name: 'Retry selected (2)' }));
    await screen.findByText('2 of 2 retried');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ ids: ['1', '3'], version: 'latest' });
    // The list reloads: the retried runs lost their checkboxes, the other keeps its own.
    await waitFor(() => expect(rowsShown()).toBe(1));
    expect(screen.getByRole('button', { name: 'Retry selected (0)' })).toHaveProperty('disabled', true);
  });

  it('retries all matching in bounded batches until none remain, bounded by the server clock', async () => {
    BATCH = 2;
    // Run 9 was created after the server's now, though before the browser's.
    runs = [run(1), run(3), run(5), run(7), run(9), run(2)];
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_1');
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'invoice.paid' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.queryByText('cus_2')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Retry all matching' }));
    await screen.findByText('4 of 4 retried');
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    const bodies = posts.map((p) => p.body as { filter: Record<string, string>; version: string });
    expect(bodies[0]!.version).toBe('same');
    expect(bodies[0]!.filter).toMatchObject({ environment: 'production', type: 'invoice.paid', status: 'failed' });
    // The server fixes the bound at the first call; the next ones send back the `until` it answered.
    expect(bodies[0]!.filter).not.toHaveProperty('to');
    expect(bodies[1]!.filter).toMatchObject({ type: 'invoice.paid', status: 'failed', to: SERVER_NOW });
    expect(runs.find((r) => r.id === '9')!.retriedAt).toBeNull();
    expect(runs.find((r) => r.id === '2')!.retriedAt).toBeNull();
    expect(screen.getByRole('progressbar', { name: 'Retry progress' })).toHaveProperty('value', 4);
  });

  it('keeps a bound the user chose and sends it on every call', async () => {
    BATCH = 1;
    runs = [run(1), run(3), run(5)];
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_1');
    fireEvent.change(screen.getByLabelText('Created before'), { target: { value: '2026-12-02T09:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(listCalls().at(-1)!.query.has('to')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Retry all matching' }));
    await screen.findByText('3 of 3 retried');
    const to = new Date('2026-12-02T09:30').toISOString();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => (p.body as { filter: { to: string } }).filter.to === to)).toBe(true);
  });

  it('opens a run to show its steps from the detail', async () => {
    runs = [run(1)];
    render(<ExecutionsPage env="production" />);
    await screen.findByText('in_1');
    fireEvent.click(screen.getByRole('button', { name: 'Steps of execution 1' }));
    const steps = await screen.findByRole('region', { name: 'Steps of execution 1' });
    await within(steps).findByText('check');
    expect(within(steps).getByLabelText('Output of trigger').textContent).toContain('"invoice": "in_1"');
    expect(calls.some((c) => c.path === '/executions/1')).toBe(true);
  });
});
