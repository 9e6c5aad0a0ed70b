import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectPaths, settingsPaths, suggest } from '../src/inspector/contextPaths.js';
import { previewTemplate, sampleContext } from '../src/inspector/preview.js';
import { SettingsPage } from '../src/pages/SettingsPage.js';

/**
 * A fake admin API behind `fetch` that keeps secrets the way the server does: values go in, only masks come out.
 * Every call is recorded so the test can check what the page sent.
 */
interface Call {
  method: string;
  path: string;
  body: unknown;
}
let calls: Call[] = [];
let secrets: Map<string, string>;
let vars: Map<string, unknown>;
const mask = (v: string) => (v.length >= 12 ? `••••${v.slice(-4)}` : '••••');
const T = '2026-01-01T10:00:00.000Z';

let smtp: { url: string | null; from: string | null; updatedAt: string | null };

function answer(method: string, path: string, body: unknown): { status: number; body?: unknown } {
  if (path.endsWith('/alerts'))
    return {
      status: 200,
      body: { email: null, webhookUrl: null, lastDelivery: { email: null, webhook: null }, updatedAt: null },
    };
  if (path.endsWith('/smtp/test')) {
    const to = (body as { to: string }).to;
    return smtp.url
      ? { status: 200, body: { messageId: '<m@x>' } }
      : { status: 502, body: { error: 'smtp_error', message: `SMTP_URL is not set (to ${to})` } };
  }
  if (path.endsWith('/smtp')) {
    if (method === 'PUT') {
      const b = body as { url?: string | null; from: string | null };
      if (b.url) smtp = { url: b.url.replace(/:[^:@/]+@/, ':••••@'), from: b.from, updatedAt: T };
      else if (b.url === null) smtp = { url: null, from: null, updatedAt: null };
      else smtp = { ...smtp, from: b.from };
    }
    return { status: 200, body: smtp };
  }
  const m = /^\/environments\/(\w+)\/(secrets|vars)(?:\/(\w+))?$/.exec(path);
  if (!m) return { status: 404, body: { error: 'not_found', message: path } };
  const [, , kind, name] = m;
  const store = kind === 'secrets' ? secrets : vars;
  const shown = (n: string) =>
    kind === 'secrets'
      ? { name: n, masked: mask(secrets.get(n)!), updatedAt: T }
      : { name: n, value: vars.get(n), updatedAt: T };
  if (method === 'GET') return { status: 200, body: [...store.keys()].sort().map(shown) };
  if (method === 'PUT') {
    const value = (body as { value: unknown }).value;
    if (kind === 'secrets' && (typeof value !== 'string' || value.length < 4))
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          message: 'invalid',
          issues: [{ path: 'value', message: 'a secret has at least 4 characters' }],
        },
      };
    store.set(name!, value as never);
    return { status: 200, body: shown(name!) };
  }
  if (method === 'DELETE')
    return store.delete(name!) ? { status: 204 } : { status: 404, body: { error: 'not_found', message: 'gone' } };
  return { status: 405, body: { error: 'invalid_request', message: method } };
}

beforeEach(() => {
  calls = [];
  smtp = { url: null, from: null, updatedAt: null };
  secrets = new Map([['STRIPE_SLACK_URL', 'https://hooks.slack.example/T0/B0/xyzw9876']]);
  vars = new Map<string, unknown>([['SUPPORT', { email: 'ops@example.com' }]]);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = String(input).replace(/^\/admin\/api/, '');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path, body });
      const a = answer(method, path, body);
      return new Response(a.status === 204 ? null : JSON.stringify(a.body), {
        status: a.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Secrets & variables page', () => {
  it('lists secrets masked and variables in full', async () => {
    render(<SettingsPage env="production" />);
    const secretRows = await screen.findByRole('table', { name: 'Secrets list' });
    expect(within(secretRows).getByText('STRIPE_SLACK_URL')).toBeTruthy();
    expect(within(secretRows).getByText('••••9876')).toBeTruthy();
    expect(document.body.textContent).not.toContain('xyzw9876'.slice(0, 5));
    const varRows = await screen.findByRole('table', { name: 'Variables list' });
    expect(within(varRows).getByText('{"email":"ops@example.com"}')).toBeTruthy();
    expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual([
      'GET /environments/production/alerts',
      'GET /environments/production/secrets',
      'GET /environments/production/smtp',
      'GET /environments/production/vars',
    ]);
  });

  it('creates a secret with a write-only value, refuses a bad name without calling, and shows the server’s reason', async () => {
    render(<SettingsPage env="staging" />);
    const form = screen.getByRole('form', { name: 'Set a secret' });
    const name = within(form).getByLabelText('Name');
    const value = within(form).getByLabelText('Value');
    expect((value as HTMLInputElement).type).toBe('password');

    fireEvent.change(name, { target: { value: 'lower' } });
    fireEvent.change(value, { target: { value: 'some-api-key-1234' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save secret' }));
    await within(form).findByText(/Upper-case letters/, { selector: '[role=alert]' });
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);

    fireEvent.change(name, { target: { value: 'PIN' } });
    fireEvent.change(value, { target: { value: 'abc' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save secret' }));
    await within(form).findByText('a secret has at least 4 characters');

    fireEvent.change(value, { target: { value: 'partner-key-5678' } });
    fireEvent.change(name, { target: { value: 'PARTNER_KEY' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save secret' }));
    const rows = await screen.findByRole('table', { name: 'Secrets list' });
    await within(rows).findByText('PARTNER_KEY');
    expect(within(rows).getByText('••••5678')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT').at(-1)).toEqual({
      method: 'PUT',
      path: '/environments/staging/secrets/PARTNER_KEY',
      body: { value: 'partner-key-5678' },
    });
    // The value field is cleared: it is never shown again.
    expect((value as HTMLInputElement).value).toBe('');
  });

  it('sets a variable from JSON and refuses text that is not JSON', async () => {
    render(<SettingsPage env="editor" />);
    const form = screen.getByRole('form', { name: 'Set a variable' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'LIMITS' } });
    fireEvent.change(within(form).getByLabelText('Value (JSON)'), { target: { value: 'not json' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save variable' }));
    await within(form).findByText(/not JSON/);
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
    fireEvent.change(within(form).getByLabelText('Value (JSON)'), { target: { value: '{"max": 5}' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save variable' }));
    const rows = await screen.findByRole('table', { name: 'Variables list' });
    await within(rows).findByText('{"max":5}');
    expect(vars.get('LIMITS')).toEqual({ max: 5 });
  });

  it('deletes only after confirming', async () => {
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    render(<SettingsPage env="production" />);
    const del = await screen.findByRole('button', { name: 'Delete secret STRIPE_SLACK_URL' });
    fireEvent.click(del);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(del);
    await screen.findByText('No secrets in production yet.');
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/environments/production/secrets/STRIPE_SLACK_URL',
    ]);
  });
});

describe('SMTP settings', () => {
  it('saves a write-only URL with a sender and sends a test email, showing why one failed', async () => {
    render(<SettingsPage env="production" />);
    const section = screen.getByRole('region', { name: 'Email (SMTP)' });
    fireEvent.change(within(section).getByLabelText('Send a test email to'), { target: { value: 'me@example.com' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Send test email' }));
    await within(section).findByText('SMTP_URL is not set (to me@example.com)');

    const url = within(section).getByLabelText('SMTP URL') as HTMLInputElement;
    expect(url.type).toBe('password');
    fireEvent.change(url, { target: { value: 'smtp://ops:hunter22@mail.example.com:587' } });
    fireEvent.change(within(section).getByLabelText('From address'), { target: { value: 'billing@example.com' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Save email settings' }));
    await within(section).findByText('Saved');
    expect(calls.find((c) => c.method === 'PUT')).toEqual({
      method: 'PUT',
      path: '/environments/production/smtp',
      body: { url: 'smtp://ops:hunter22@mail.example.com:587', from: 'billing@example.com' },
    });
    expect(url.value).toBe('');
    expect(url.placeholder).toBe('smtp://ops:••••@mail.example.com:587');

    fireEvent.click(within(section).getByRole('button', { name: 'Send test email' }));
    await within(section).findByText('Test email sent to me@example.com');
  });
});

describe('expressions know the environment’s secrets and variables', () => {
  const sample = {
    id: 'evt_1',
    type: 'invoice.paid',
    created: 1,
    livemode: false,
    api_version: null,
    data: { object: { id: 'in_1' } },
  };
  const paths = [
    ...collectPaths({ id: 'evt_1' }, 'context.event'),
    ...settingsPaths(
      [{ name: 'SLACK_URL', masked: '••••9876' }],
      [{ name: 'SUPPORT', value: { email: 'ops@x.test' } }],
    ),
  ];

  it('offers secret names previewed by their masks, and variables with their values', () => {
    expect(suggest(paths, 'context.secrets.')).toEqual([
      { path: 'context.secrets.SLACK_URL', preview: 'secret ••••9876' },
    ]);
    expect(suggest(paths, 'context.vars.SUPPORT.')).toEqual([
      { path: 'context.vars.SUPPORT.email', preview: '"ops@x.test"' },
    ]);
  });

  it('previews a secret as its mask', async () => {
    const context = sampleContext(
      sample,
      {},
      { secrets: { SLACK_URL: '••••9876' }, vars: { SUPPORT: { email: 'a@b' } } },
    );
    expect(await previewTemplate('Bearer {{ context.secrets.SLACK_URL }}', context, 'h')).toEqual({
      kind: 'value',
      value: 'Bearer ••••9876',
    });
    expect(await previewTemplate('{{ context.vars.SUPPORT.email }}', context, 'h')).toEqual({
      kind: 'value',
      value: 'a@b',
    });
  });
});
