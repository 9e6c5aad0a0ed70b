import {
  type Execution,
  type Operation,
  type OperationAnswer,
  operations as ops,
  type Workflow,
} from '@switchyard/contract';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { App } from '../src/App.js';

/**
 * The admin API at the network boundary, by contract operation: every answer is parsed with the operation's own
 * answer schema (the one the server's route is built from), so a fake answer of another shape fails the test.
 */
type Handler = (request: { params: Record<string, string>; body: unknown }) => unknown;
let handlers = new Map<Operation, Handler>();
let calls: string[] = [];

function answer<O extends Operation>(
  op: O,
  handler: (request: { params: Record<string, string>; body: unknown }) => OperationAnswer<O>,
) {
  handlers.set(op, handler);
}

function match(op: Operation, method: string, path: string): Record<string, string> | null {
  if (op.method.toUpperCase() !== method) return null;
  const names: string[] = [];
  const pattern = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${pattern}$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
}

beforeEach(() => {
  handlers = new Map();
  calls = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const url = new URL(String(input), 'http://editor.test');
    const path = url.pathname.replace(/^\/admin\/api/, '');
    calls.push(`${method} ${path}`);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    for (const [op, handler] of handlers) {
      const params = match(op, method, path);
      if (!params) continue;
      const json = op.answer ? op.answer.parse(handler({ params, body })) : null;
      return new Response(json === null ? null : JSON.stringify(json), {
        status: op.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return Response.json({ error: 'not_found', message: `no admin route ${method} ${path}` }, { status: 404 });
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const document = {
  name: 'Track invoices',
  nodes: [{ id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } }],
  edges: [],
};

const workflow: Workflow = {
  id: 'wf_1',
  name: 'Track invoices',
  version: 1,
  triggerType: 'stripe.invoice',
  updatedAt: '2026-01-01T10:00:00.000Z',
  published: { staging: null, production: null },
  document,
  warnings: [],
  draft: null,
  etag: '"1.0"',
};

function execution(id: string, over: Partial<Execution> = {}): Execution {
  return {
    id,
    workflowId: 'wf_1',
    workflowVersion: 1,
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
    runAt: '2026-01-01T10:00:00.000Z',
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:00:01.000Z',
    steps: [],
    ...over,
  };
}

it('after a replay, the run banner opens the new execution by its id', async () => {
  const runs = new Map([['ex_first', execution('ex_first')]]);
  const replays: unknown[] = [];
  answer(ops.getSession, () => ({ authenticated: true }));
  answer(ops.getWorkflow, () => workflow);
  answer(ops.getExecution, ({ params }) => runs.get(params.id!)!);
  answer(ops.replayEvent, ({ params, body }) => {
    replays.push({ ...params, body });
    const replayed = execution('ex_replayed', { origin: 'replay', status: 'pending', parentId: null });
    runs.set(replayed.id, replayed);
    return [replayed];
  });

  window.history.replaceState(null, '', '/editor/workflows/wf_1?execution=ex_first');
  render(<App />);

  const replay = await screen.findByRole('button', { name: 'Replay event' }, { timeout: 10_000 });
  await act(async () => {
    fireEvent.click(replay);
  });

  await waitFor(() => expect(window.location.search).toBe('?execution=ex_replayed'));
  expect(window.location.pathname).toBe('/editor/workflows/wf_1');
  expect(replays).toEqual([{ env: 'editor', eventId: 'evt_1', body: { workflowId: 'wf_1', version: 1 } }]);
  // The page follows: it loads the replayed run, whose banner shows its pending status.
  await waitFor(() => expect(calls).toContain('GET /executions/ex_replayed'));
  expect(calls).not.toContain('GET /executions/undefined');
});
