import { TABLE_NAME } from '@switchyard/contract';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Environment } from '../src/api/types.js';
import { parseRowValues } from '../src/pages/rowValues.js';
import { TablesPage } from '../src/pages/TablesPage.js';

/**
 * The tables calls of the admin API behind `fetch`, with the server's rules: rows per environment, key order,
 * a key prefix, pages with X-Next-Cursor, PUT replaces, DELETE answers 204 or 404.
 */
type Row = { key: string; values: Record<string, unknown>; updatedAt: string };
let store: Map<string, Map<string, Row>>;
let calls: { method: string; path: string; body: unknown }[];

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

function answer(method: string, url: URL, body: unknown): Response {
  const path = url.pathname.replace(/^\/admin\/api/, '');
  const list = path.match(/^\/environments\/(\w+)\/tables$/);
  if (list && method === 'GET') {
    const names = [...store.keys()].filter((k) => k.startsWith(`${list[1]}/`)).sort();
    return json(
      200,
      names.map((k) => ({ name: k.split('/')[1], rows: store.get(k)!.size, updatedAt: '2026-01-01T10:00:00.000Z' })),
    );
  }
  const rows = path.match(/^\/environments\/(\w+)\/tables\/([^/]+)\/rows(?:\/(.+))?$/);
  if (!rows) return json(404, { error: 'not_found', message: `no route ${path}` });
  const [, env, rawTable, rawKey] = rows;
  const table = decodeURIComponent(rawTable!);
  if (!TABLE_NAME.test(table)) {
    const issue = { path: 'table', message: 'a table name is lowercase letters, digits and _, starting with a letter' };
    return json(400, { error: 'invalid_request', message: `table: ${issue.message}`, issues: [issue] });
  }
  const id = `${env}/${table}`;
  if (method === 'PUT') {
    const values = (body as { values: unknown }).values;
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      return json(400, { error: 'invalid_request', message: 'values must be a JSON object' });
    const row = {
      key: decodeURIComponent(rawKey!),
      values: values as Record<string, unknown>,
      updatedAt: '2026-01-02T10:00:00.000Z',
    };
    if (!store.has(id)) store.set(id, new Map());
    store.get(id)!.set(row.key, row);
    return json(200, row);
  }
  const t = store.get(id);
  if (!t) return json(404, { error: 'not_found', message: `the ${env} environment has no table ${table}` });
  if (method === 'DELETE') {
    const key = decodeURIComponent(rawKey!);
    if (!t.delete(key)) return json(404, { error: 'not_found', message: 'no such row' });
    return json(204, null);
  }
  const limit = Number(url.searchParams.get('limit') ?? 100);
  const cursor = url.searchParams.get('cursor');
  const prefix = url.searchParams.get('key') ?? '';
  const q = url.searchParams.get('q')?.toLowerCase();
  const contains = (r: Row) =>
    !q ||
    r.key.toLowerCase().includes(q) ||
    Object.values(r.values).some((v) => (typeof v === 'string' ? v : JSON.stringify(v)).toLowerCase().includes(q));
  const all = [...t.values()]
    .filter((r) => r.key.startsWith(prefix) && contains(r) && (cursor === null || r.key > cursor))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const page = all.slice(0, limit);
  return json(200, page, all.length > limit ? { 'X-Next-Cursor': page.at(-1)!.key } : {});
}

beforeEach(() => {
  store = new Map();
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const url = new URL(String(input), 'http://editor.test');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path: url.pathname.replace(/^\/admin\/api/, '') + url.search, body });
      return answer(method, url, body);
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const page = (env: Environment, table: string | null) => <TablesPage env={env} table={table} />;
const dialog = () => screen.getByRole('dialog');

describe('row values', () => {
  it('accepts a JSON object and says what is wrong with anything else', () => {
    expect(parseRowValues('{"plan":"pro","seats":3}')).toEqual({ values: { plan: 'pro', seats: 3 } });
    expect(parseRowValues('{"plan":')).toMatchObject({ error: expect.stringMatching(/not valid JSON/) });
    expect(parseRowValues('[1, 2]')).toMatchObject({ error: expect.stringMatching(/JSON object/) });
    expect(parseRowValues('"paid"')).toMatchObject({ error: expect.stringMatching(/JSON object/) });
    expect(parseRowValues('  ')).toMatchObject({ error: expect.stringMatching(/as JSON/) });
  });
});

describe('Tables page', () => {
  it('creates, edits, searches and deletes rows by hand, in the current environment only', async () => {
    const view = render(page('production', null));
    await screen.findByText(/No tables in production yet/);

    // A new row in a new table; the values are checked as they are typed.
    fireEvent.click(screen.getByRole('button', { name: 'New row' }));
    fireEvent.change(within(dialog()).getByLabelText('Table'), { target: { value: 'customers' } });
    fireEvent.change(within(dialog()).getByLabelText('Key'), { target: { value: 'cus_b1' } });
    const values = within(dialog()).getByLabelText('Values (JSON)');
    fireEvent.change(values, { target: { value: '{"plan": ' } });
    expect(within(dialog()).getByText(/not valid JSON/)).toBeTruthy();
    expect((within(dialog()).getByRole('button', { name: 'Create row' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(values, { target: { value: '["pro"]' } });
    expect(within(dialog()).getByText(/must be a JSON object/)).toBeTruthy();
    fireEvent.change(values, { target: { value: '{"plan": "pro", "seats": 3}' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create row' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.find((c) => c.method === 'PUT')).toEqual({
      method: 'PUT',
      path: '/environments/production/tables/customers/rows/cus_b1',
      body: { values: { plan: 'pro', seats: 3 } },
    });
    // Saving opens the new table (the route follows; here the test passes it on).
    expect(window.location.pathname).toBe('/production/tables/customers');
    view.rerender(page('production', 'customers'));
    const rowsTable = await screen.findByRole('table', { name: 'Rows of customers' });
    expect(within(rowsTable).getByText('cus_b1')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Tables' })).getByText('1 row')).toBeTruthy();

    // A second row with the same key is refused instead of overwriting the first.
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.change(within(dialog()).getByLabelText('Key'), { target: { value: 'cus_b1' } });
    fireEvent.change(within(dialog()).getByLabelText('Values (JSON)'), { target: { value: '{}' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create row' }));
    expect((await within(dialog()).findByRole('alert')).textContent).toMatch(/already has a row with the key cus_b1/);
    fireEvent.change(within(dialog()).getByLabelText('Key'), { target: { value: 'cus_a1' } });
    fireEvent.change(within(dialog()).getByLabelText('Values (JSON)'), { target: { value: '{"plan": "free"}' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create row' }));
    await within(rowsTable).findByText('cus_a1');

    // Edit: the values come up as JSON and are replaced whole.
    fireEvent.click(screen.getByRole('button', { name: 'Edit cus_b1' }));
    const edit = within(dialog()).getByLabelText('Values (JSON)') as HTMLTextAreaElement;
    expect(JSON.parse(edit.value)).toEqual({ plan: 'pro', seats: 3 });
    expect((within(dialog()).getByLabelText('Key') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.change(edit, { target: { value: '{"plan": "team"}' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await within(screen.getByRole('table', { name: 'Rows of customers' })).findByText('team');
    expect(store.get('production/customers')!.get('cus_b1')!.values).toEqual({ plan: 'team' });

    // Search by the start of the key.
    fireEvent.change(screen.getByLabelText('Search by key'), { target: { value: 'cus_a' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.queryByText('cus_b1')).toBeNull());
    expect(screen.getByText('cus_a1')).toBeTruthy();
    expect(calls.at(-1)!.path).toBe('/environments/production/tables/customers/rows?limit=50&key=cus_a');
    fireEvent.change(screen.getByLabelText('Search by key'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText(/No row of customers has a key starting with “nope”/);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await screen.findByText('cus_b1');

    // Delete asks first; Cancel keeps the row.
    fireEvent.click(screen.getByRole('button', { name: 'Delete cus_a1' }));
    expect(dialog().textContent).toMatch(/Delete the row cus_a1 from customers in production\?/);
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete cus_a1' }));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Delete row' }));
    await waitFor(() => expect(screen.queryByText('cus_a1')).toBeNull());
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/environments/production/tables/customers/rows/cus_a1',
    ]);

    // The environment switcher keeps the table in the address; editor has no such table.
    view.rerender(page('editor', 'customers'));
    await screen.findByText(/The editor environment has no table named/);
    expect(screen.queryByText('cus_b1')).toBeNull();
    expect(screen.getByText(/No tables in editor yet/)).toBeTruthy();
  });

  it('searches keys and values, and links the CSV export of the open table', async () => {
    const row = (key: string, values: Record<string, unknown>) => ({
      key,
      values,
      updatedAt: '2026-01-02T10:00:00.000Z',
    });
    store.set(
      'staging/customers',
      new Map([
        ['cus_1', row('cus_1', { email: 'Ada@example.com', plan: 'pro' })],
        ['cus_2', row('cus_2', { email: 'bob@example.com', plan: 'team' })],
      ]),
    );
    render(page('staging', 'customers'));
    await screen.findByText('cus_2');
    const link = screen.getByRole('link', { name: 'Export CSV' });
    expect(link.getAttribute('href')).toBe('/admin/api/environments/staging/tables/customers/export.csv');
    expect(link.getAttribute('download')).toBe('staging-customers.csv');

    fireEvent.change(screen.getByLabelText('Search keys and values'), { target: { value: 'ADA@' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.queryByText('cus_2')).toBeNull());
    expect(screen.getByText('cus_1')).toBeTruthy();
    expect(calls.at(-1)!.path).toBe('/environments/staging/tables/customers/rows?limit=50&q=ADA%40');
    fireEvent.change(screen.getByLabelText('Search keys and values'), { target: { value: 'nobody' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText(/No row of customers has a key or value containing “nobody”/);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await screen.findByText('cus_2');
  });

  it('says so in words when the server refuses a row', async () => {
    store.set('editor/orders', new Map());
    render(page('editor', 'orders'));
    await screen.findByText('orders has no rows in editor.');
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.change(within(dialog()).getByLabelText('Table'), { target: { value: 'Bad Name' } });
    fireEvent.change(within(dialog()).getByLabelText('Key'), { target: { value: 'k' } });
    fireEvent.change(within(dialog()).getByLabelText('Values (JSON)'), { target: { value: '{}' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create row' }));
    expect((await within(dialog()).findByRole('alert')).textContent).toBe(
      'a table name is lowercase letters, digits and _, starting with a letter',
    );
    expect(store.size).toBe(1);
  });
});
