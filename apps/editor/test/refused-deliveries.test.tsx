import { ALERT_WINDOW_MS, REFUSAL_ALERT_THRESHOLD } from '@switchyard/contract/alert-limits';
import { REJECTION_HINTS } from '@switchyard/contract/rejection-hints';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertSettings, Rejection } from '../src/api/types.js';
import { AlertsSection } from '../src/pages/AlertsSection.js';
import { RefusedDeliveriesSection, summarize } from '../src/pages/RefusedDeliveriesSection.js';

/** The admin API behind `fetch`, answering what the server would; every call is recorded with its body. */
interface Call {
  method: string;
  path: string;
  body: unknown;
}
let calls: Call[] = [];
let answers: Record<string, (body: unknown) => { status: number; body: unknown }> = {};

const text = (el: Element | undefined | null) => el?.textContent ?? '';
const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

beforeEach(() => {
  calls = [];
  answers = {};
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = String(input).replace(/^\/admin\/api/, '');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path, body });
      const answer = answers[`${method} ${path}`]?.(body) ?? {
        status: 404,
        body: { error: 'not_found', message: path },
      };
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('refused deliveries on the connection page', () => {
  it('counts the last 24 hours, groups by reason and gives each reason its hint in builder words', async () => {
    const list: Rejection[] = [
      { at: ago(1), status: 400, reason: 'bad_signature' },
      { at: ago(2), status: 400, reason: 'bad_signature' },
      { at: ago(30), status: 404, reason: 'disabled' },
      { at: ago(3), status: 400, reason: 'bad_signature' },
      { at: ago(60 * 30), status: 413, reason: 'too_large' }, // older than a day: listed, not counted
    ];
    answers['GET /environments/production/rejections'] = () => ({ status: 200, body: list });
    render(<RefusedDeliveriesSection env="production" now={() => NOW} />);

    expect(text(await screen.findByTestId('refused-24h'))).toContain('4 refused in the last 24 hours');
    const reasons = within(screen.getByRole('list', { name: 'Why deliveries were refused' })).getAllByRole('listitem');
    expect(reasons.map((li) => li.textContent)).toEqual([
      expect.stringContaining('bad_signature × 3'),
      expect.stringContaining('disabled × 1'),
    ]);
    expect(text(reasons[0])).toContain("the signing secret in Switchyard does not match the endpoint's in Stripe");
    expect(text(reasons[1])).toContain(REJECTION_HINTS.disabled);
    const rows = within(screen.getByRole('table', { name: 'Refused deliveries list' })).getAllByRole('row');
    expect(rows).toHaveLength(1 + list.length);
    expect(text(rows[5])).toContain('413');
  });

  it('says so when nothing was refused, and gives a lower bound when the kept 100 are all recent', async () => {
    answers['GET /environments/staging/rejections'] = () => ({ status: 200, body: [] });
    render(<RefusedDeliveriesSection env="staging" now={() => NOW} />);
    expect(text(await screen.findByTestId('refused-24h'))).toContain('None in the last 24 hours.');
    expect(screen.queryByRole('table')).toBeNull();

    const full = Array.from({ length: 100 }, (_, i) => ({ at: ago(i), status: 400, reason: 'bad_signature' as const }));
    expect(summarize(full, NOW)).toMatchObject({ count: 100, atLeast: true });
    expect(summarize([...full.slice(0, 99), { ...full[99]!, at: ago(60 * 25) }], NOW)).toMatchObject({
      count: 99,
      atLeast: false,
    });
  });

  it('shows why the list could not be loaded', async () => {
    answers['GET /environments/editor/rejections'] = () => ({
      status: 500,
      body: { error: 'internal', message: 'internal error' },
    });
    render(<RefusedDeliveriesSection env="editor" now={() => NOW} />);
    expect(text(await screen.findByRole('alert'))).toContain('internal error');
  });
});

describe('alerts on the settings page', () => {
  const empty: AlertSettings = {
    email: null,
    webhookUrl: null,
    lastDelivery: { email: null, webhook: null },
    updatedAt: null,
  };

  it('saves the destinations, keeps the write-only webhook URL out of view and shows a test alert’s outcome', async () => {
    let stored = empty;
    answers['GET /environments/production/alerts'] = () => ({ status: 200, body: stored });
    answers['PUT /environments/production/alerts'] = (body) => {
      const b = body as { email: string | null; webhookUrl?: string };
      stored = {
        ...stored,
        email: b.email,
        webhookUrl: b.webhookUrl ? 'https://hooks.example.com/••••XYZW' : stored.webhookUrl,
        updatedAt: NOW.toString(),
      };
      return { status: 200, body: stored };
    };
    answers['POST /environments/production/alerts/test'] = () => ({
      status: 200,
      body: {
        email: { at: ago(0), ok: true, error: null },
        webhook: { at: ago(0), ok: false, error: 'the webhook answered HTTP 500' },
      },
    });
    render(<AlertsSection env="production" />);
    const send = await screen.findByRole('button', { name: 'Send test alert' });
    expect((send as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Email address'), { target: { value: 'ops@example.com' } });
    fireEvent.change(screen.getByLabelText('Webhook URL'), {
      target: { value: 'https://hooks.example.com/T/abcXYZW' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save alerts' }));
    await screen.findByText('Saved');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      email: 'ops@example.com',
      webhookUrl: 'https://hooks.example.com/T/abcXYZW',
    });
    expect((screen.getByLabelText('Webhook URL') as HTMLInputElement).value).toBe('');
    expect(screen.getByLabelText('Webhook URL').getAttribute('placeholder')).toBe('https://hooks.example.com/••••XYZW');

    fireEvent.click(screen.getByRole('button', { name: 'Send test alert' }));
    const outcome = await screen.findByRole('alert');
    expect(text(outcome)).toContain('Email: delivered');
    expect(text(outcome)).toContain('Webhook: failed');
    expect(text(outcome)).toContain('the webhook answered HTTP 500');

    // A second save without a new URL keeps the stored one: the body leaves it out.
    const saveButton = screen.getByRole('button', { name: 'Save alerts' }) as HTMLButtonElement;
    await waitFor(() => expect(saveButton.disabled).toBe(false)); // the settings reload after a test alert
    fireEvent.change(screen.getByLabelText('Email address'), { target: { value: 'oncall@example.com' } });
    fireEvent.click(saveButton);
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'PUT')[1]?.body).toEqual({ email: 'oncall@example.com' });
  });

  it('says in builder words that email is not set up, from the server’s code, not its text', async () => {
    answers['GET /environments/editor/alerts'] = () => ({
      status: 200,
      body: { ...empty, email: 'ops@example.com', updatedAt: ago(5) },
    });
    answers['POST /environments/editor/alerts/test'] = () => ({
      status: 200,
      body: {
        email: { at: ago(0), ok: false, error: 'any server wording', code: 'smtp_not_configured' },
        webhook: null,
      },
    });
    render(<AlertsSection env="editor" />);
    expect(text(screen.getByRole('region', { name: 'Alerts' }))).toContain(
      `(${REFUSAL_ALERT_THRESHOLD} of one reason in ${ALERT_WINDOW_MS / 60_000} minutes`,
    );
    const send = (await screen.findByRole('button', { name: 'Send test alert' })) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    fireEvent.click(send);
    const outcome = text(await screen.findByRole('alert'));
    expect(outcome).toContain('Email: failed');
    expect(outcome).toContain(
      'Email is not set up for this environment: add an SMTP server on this page, or set SMTP_URL on the server.',
    );
    expect(outcome).not.toContain('any server wording');
  });

  it('shows the server’s reason when a destination is refused', async () => {
    answers['GET /environments/staging/alerts'] = () => ({ status: 200, body: empty });
    answers['PUT /environments/staging/alerts'] = () => ({
      status: 400,
      body: {
        error: 'invalid_request',
        message: 'invalid',
        issues: [{ path: 'webhookUrl', message: 'the alert webhook must be an https:// URL' }],
      },
    });
    render(<AlertsSection env="staging" />);
    fireEvent.change(await screen.findByLabelText('Webhook URL'), { target: { value: 'http://example.com/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save alerts' }));
    expect(text(await screen.findByRole('alert'))).toContain('the alert webhook must be an https:// URL');
  });
});
