import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection, StripeRegistrationStatus } from '../src/api/types.js';
import { ConnectionPage } from '../src/pages/ConnectionPage.js';
import { StripeEndpointSection } from '../src/pages/StripeEndpointSection.js';
import { endpointChip, eventDrift, formatElapsed, mismatchMessage, sinceFor } from '../src/pages/stripeEndpoint.js';

/** A fake admin API behind `fetch`: routes by "METHOD path", records every call with its JSON body. */
type Answer = { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;
type Handler = (body: unknown) => Answer;
interface Call {
  method: string;
  path: string;
  body: unknown;
}

let calls: Call[] = [];
let routes: Record<string, Handler | Handler[]> = {};

function respond(route: string, body: unknown) {
  const handler = routes[route];
  if (!handler) return { status: 404, body: { error: 'not_found', message: `no admin route ${route}` } };
  if (Array.isArray(handler)) {
    const next = handler.length > 1 ? handler.shift()! : handler[0]!;
    return next(body);
  }
  return handler(body);
}

beforeEach(() => {
  calls = [];
  routes = {};
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = String(input).replace(/^\/admin\/api/, '');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      calls.push({ method, path, body });
      const answer = await respond(`${method} ${path}`, body);
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
  vi.useRealTimers();
});

const ok =
  (body: unknown): Handler =>
  () => ({ status: 200, body });

function connection(over: Partial<Connection> = {}): Connection {
  return {
    environment: 'editor',
    secretKey: 'sk_live_…4242',
    mode: 'live',
    webhookEnabled: true,
    webhookPath: '/stripe/editor',
    webhookSecret: 'whsec_…abcd',
    webhookUrl: 'https://hooks.example.com/api/stripe/editor',
    warnings: [],
    lastEventReceivedAt: null,
    eventCounts: {},
    updatedAt: '2026-01-01T10:00:00.000Z',
    previousWebhookSecretExpiresAt: null,
    stripeEndpointId: null,
    ...over,
  };
}

function status(over: Partial<StripeRegistrationStatus> = {}): StripeRegistrationStatus {
  return {
    registered: false,
    endpointId: null,
    status: null,
    enabledEvents: [],
    neededEvents: ['invoice.paid', 'invoice.payment_failed'],
    url: null,
    webhookUrl: 'https://hooks.example.com/api/stripe/editor',
    registeredAt: null,
    lastEventReceivedAt: null,
    lastReconciledAt: null,
    stripeError: null,
    ...over,
  };
}

const REGISTERED = status({
  registered: true,
  endpointId: 'we_123',
  status: 'enabled',
  enabledEvents: ['invoice.paid', 'invoice.payment_failed'],
  url: 'https://hooks.example.com/api/stripe/editor',
  registeredAt: '2026-01-01T10:00:00.000Z',
});

const REGISTRATION = {
  endpointId: 'we_123',
  status: 'enabled',
  enabledEvents: ['invoice.paid', 'invoice.payment_failed'],
  url: 'https://hooks.example.com/api/stripe/editor',
  created: true,
  mode: 'live',
  account: { id: 'acct_1', name: 'Acme' },
  warnings: [
    'editor uses a live-mode key: its workflows would react to real payments and could change real customers (confirmed)',
  ],
};

function renderSection(conn = connection()) {
  const onChanged = vi.fn();
  render(<StripeEndpointSection env="editor" connection={conn} onChanged={onChanged} />);
  return { onChanged, section: () => screen.getByRole('region', { name: 'Stripe endpoint' }) };
}

const chip = () => screen.getByTestId('endpoint-chip');

describe('status chip and drift', () => {
  it('maps the registration status to a chip', () => {
    expect(endpointChip(undefined)).toEqual({ label: 'Not registered', tone: 'muted' });
    expect(endpointChip({ registered: false, status: null, stripeError: null }).label).toBe('Not registered');
    expect(endpointChip({ registered: true, status: 'enabled', stripeError: null })).toEqual({
      label: 'Enabled',
      tone: 'ok',
    });
    expect(endpointChip({ registered: true, status: 'disabled', stripeError: null })).toEqual({
      label: 'Disabled',
      tone: 'error',
    });
    expect(
      endpointChip({ registered: true, status: null, stripeError: 'endpoint we_1 no longer exists at Stripe' }),
    ).toEqual({ label: 'Error', tone: 'error' });
    expect(endpointChip({ registered: true, status: null, stripeError: null })).toEqual({
      label: 'Registered',
      tone: 'warn',
    });
    expect(endpointChip({ registered: true, status: 'paused', stripeError: null }).label).toBe('Paused');
  });

  it('finds needed and stale event types', () => {
    expect(eventDrift(['invoice.paid'], ['invoice.paid'])).toEqual({ missing: [], extra: [] });
    expect(eventDrift(['invoice.paid', 'charge.refunded'], ['invoice.paid', 'customer.created'])).toEqual({
      missing: ['customer.created'],
      extra: ['charge.refunded'],
    });
    expect(eventDrift(['*'], ['invoice.paid'])).toEqual({ missing: [], extra: [] });
  });

  it('computes since within the 30 days Stripe keeps', () => {
    const now = Date.UTC(2026, 0, 31, 12);
    expect(sinceFor('24h', now)).toBe(now / 1000 - 86_400);
    expect(sinceFor('7d', now)).toBe(now / 1000 - 7 * 86_400);
    const thirty = sinceFor('30d', now);
    expect(thirty).toBeGreaterThan(now / 1000 - 30 * 86_400);
    expect(thirty).toBeLessThan(now / 1000 - 29.9 * 86_400);
    expect(formatElapsed(4_200)).toBe('4 s');
    expect(formatElapsed(65_000)).toBe('1 min 05 s');
    expect(mismatchMessage('editor', 'live')).toBe('Editor uses a live-mode key.');
    expect(mismatchMessage('staging', 'live')).toBe('Staging uses a live-mode key.');
    expect(mismatchMessage('production', 'test')).toBe('Production uses a test-mode key.');
  });
});

describe('Stripe endpoint section', () => {
  it('shows Not registered, the events to enable and a Register button', async () => {
    routes['GET /environments/editor/stripe/register'] = ok(status());
    const { section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    expect(within(section()).getByRole('list', { name: 'Events to enable' }).textContent).toContain(
      'invoice.payment_failed',
    );
    expect(within(section()).getByRole('button', { name: 'Register' })).toBeTruthy();
    expect(within(section()).queryByRole('button', { name: 'Deregister' })).toBeNull();
  });

  it('shows an enabled endpoint, its drift and an expandable event list', async () => {
    const enabled = [
      'charge.refunded',
      'customer.created',
      'customer.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.voided',
    ];
    routes['GET /environments/editor/stripe/register'] = ok({
      ...REGISTERED,
      enabledEvents: enabled,
      neededEvents: ['invoice.paid', 'invoice.payment_failed'],
      lastReconciledAt: '2026-01-02T10:00:00.000Z',
    });
    const { section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Enabled'));
    expect(screen.getByTestId('endpoint-id').textContent).toBe('we_123');
    expect(within(section()).getByRole('button', { name: 'Update registration' })).toBeTruthy();

    const list = within(section()).getByRole('list', { name: 'Enabled events' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(6);
    const toggle = within(section()).getByRole('button', { name: /Show all 7/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(list.id);
    fireEvent.click(toggle);
    expect(within(list).getAllByRole('listitem')).toHaveLength(7);
    expect(within(section()).getByRole('button', { name: 'Show fewer' }).getAttribute('aria-expanded')).toBe('true');

    const drift = within(section()).getByRole('note', { name: 'Endpoint out of date' });
    expect(drift.textContent).toContain('Needed but not enabled (1): invoice.payment_failed');
    expect(drift.textContent).toContain('Enabled but no longer needed (6)');
  });

  it('shows a disabled endpoint and an error from Stripe', async () => {
    routes['GET /environments/editor/stripe/register'] = ok({ ...REGISTERED, status: 'disabled' });
    renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Disabled'));
    expect(screen.queryByRole('note', { name: 'Endpoint out of date' })).toBeNull();
    cleanup();
    routes['GET /environments/editor/stripe/register'] = ok({
      ...REGISTERED,
      status: null,
      stripeError: 'endpoint we_123 no longer exists at Stripe: register again',
    });
    renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Error'));
    expect(screen.getByRole('alert').textContent).toContain('no longer exists at Stripe');
  });

  it('asks before registering a key of the wrong mode, then retries with confirm and shows the warnings', async () => {
    routes['GET /environments/editor/stripe/register'] = [ok(status()), ok(REGISTERED)];
    routes['POST /environments/editor/stripe/register'] = (body) =>
      (body as { confirm?: boolean }).confirm
        ? { status: 200, body: REGISTRATION }
        : {
            status: 409,
            body: {
              error: 'mode_mismatch',
              message:
                'editor uses a live-mode key: its workflows would react to real payments and could change real customers. Send { "confirm": true } to register anyway.',
            },
          };
    const { onChanged, section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));

    fireEvent.click(within(section()).getByRole('button', { name: 'Register' }));
    const dialog = await screen.findByRole('dialog', { name: 'Key mode does not fit this environment' });
    // The dialog's words come from the code and what the editor knows, not from the server's sentence.
    expect(within(dialog).getByTestId('mismatch-message').textContent).toBe('Editor uses a live-mode key.');
    expect(dialog.textContent).toContain('real customers and real money');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{}]);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Register anyway' }));
    await waitFor(() => expect(chip().textContent).toBe('Enabled'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{}, { confirm: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(
      within(section()).getByText(/Created endpoint we_123 in Acme \(acct_1\), live mode, with 2 event types/),
    ).toBeTruthy();
    expect(within(section()).getByRole('list', { name: 'Registration warnings' }).textContent).toContain('(confirmed)');
    expect(onChanged).toHaveBeenCalledWith(true);
  });

  it('cancelling the mode dialog registers nothing', async () => {
    routes['GET /environments/editor/stripe/register'] = ok(status());
    routes['POST /environments/editor/stripe/register'] = () => ({
      status: 409,
      body: { error: 'mode_mismatch', message: 'editor uses a live-mode key' },
    });
    const { section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    fireEvent.click(within(section()).getByRole('button', { name: 'Register' }));
    const dialog = await screen.findByRole('dialog');
    // The safe choice has the focus.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows other register errors inline', async () => {
    routes['GET /environments/editor/stripe/register'] = ok(status());
    routes['POST /environments/editor/stripe/register'] = () => ({
      status: 502,
      body: { error: 'stripe_unreachable', message: 'could not reach Stripe to check the account' },
    });
    const { section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    fireEvent.click(within(section()).getByRole('button', { name: 'Register' }));
    expect((await within(section()).findByRole('alert')).textContent).toBe(
      'could not reach Stripe to check the account',
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('deregisters only after confirmation', async () => {
    routes['GET /environments/editor/stripe/register'] = [ok(REGISTERED), ok(status())];
    routes['DELETE /environments/editor/stripe/register'] = ok({ endpointId: 'we_123', deleted: true });
    const { section, onChanged } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Enabled'));

    fireEvent.click(within(section()).getByRole('button', { name: 'Deregister' }));
    let dialog = await screen.findByRole('dialog', { name: 'Deregister the endpoint?' });
    expect(dialog.textContent).toContain('we_123');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    fireEvent.click(within(section()).getByRole('button', { name: 'Deregister' }));
    dialog = await screen.findByRole('dialog', { name: 'Deregister the endpoint?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deregister' }));
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(within(section()).getByText(/Deleted endpoint we_123 at Stripe; the webhook is off/)).toBeTruthy();
    expect(onChanged).toHaveBeenCalledWith(true);
  });
});

describe('Recover missed events', () => {
  it('sends the range, shows progress with elapsed time while it runs, then the counts', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(Date.UTC(2026, 0, 31, 12));
    routes['GET /environments/editor/stripe/register'] = ok(status());
    let finish!: (v: { status: number; body: unknown }) => void;
    routes['POST /environments/editor/stripe/reconcile'] = () => new Promise((resolve) => (finish = resolve));
    const { section, onChanged } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    const recover = within(section()).getByRole('region', { name: 'Recover missed events' });

    fireEvent.change(within(recover).getByLabelText('Time range'), { target: { value: '7d' } });
    fireEvent.click(within(recover).getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/environments/editor/stripe/reconcile')).toBe(true));
    const call = calls.find((c) => c.path === '/environments/editor/stripe/reconcile')!;
    expect((call.body as { since: number }).since).toBe(Date.UTC(2026, 0, 31, 12) / 1000 - 7 * 86_400);

    expect(within(recover).getByRole('progressbar', { name: 'Recovering missed events' })).toBeTruthy();
    expect((within(recover).getByRole('button', { name: 'Running…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(recover).getByLabelText('Time range') as HTMLSelectElement).disabled).toBe(true);
    await act(async () => {
      vi.advanceTimersByTime(3_000);
    });
    expect(screen.getByTestId('recover-elapsed').textContent).toMatch(/^[3-4] s$/);

    await act(async () => finish({ status: 200, body: { scanned: 412, ingested: 7, alreadyHad: 405 } }));
    await waitFor(() =>
      expect(within(recover).getByRole('status').textContent).toBe('Scanned 412 events: ingested 7, already had 405.'),
    );
    expect(within(recover).queryByRole('progressbar')).toBeNull();
    expect((within(recover).getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false);
    expect(onChanged).toHaveBeenCalledWith(false);
  });

  it('shows the server error inline', async () => {
    routes['GET /environments/editor/stripe/register'] = ok(status());
    routes['POST /environments/editor/stripe/reconcile'] = () => ({
      status: 400,
      body: {
        error: 'no_secret_key',
        message: 'editor has no Stripe secret key: set one with PUT /environments/editor/stripe',
      },
    });
    const { section } = renderSection();
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));
    const recover = within(section()).getByRole('region', { name: 'Recover missed events' });
    fireEvent.click(within(recover).getByRole('button', { name: 'Run' }));
    expect((await within(recover).findByRole('alert')).textContent).toBe(
      'editor has no Stripe secret key: set one with PUT /environments/editor/stripe',
    );
    expect(calls.find((c) => c.path.endsWith('/reconcile'))!.body).toEqual({ since: expect.any(Number) });
  });
});

describe('connection page', () => {
  it('shows the rotation window and the endpoint section, and starts the form over after a registration', async () => {
    routes['GET /environments/editor/stripe'] = [
      ok(connection({ webhookEnabled: false, previousWebhookSecretExpiresAt: '2026-01-02T10:00:00.000Z' })),
      ok(connection({ webhookEnabled: true, stripeEndpointId: 'we_123', updatedAt: '2026-01-01T11:00:00.000Z' })),
    ];
    routes['GET /environments/editor/stripe/register'] = [ok(status()), ok(REGISTERED)];
    routes['POST /environments/editor/stripe/register'] = ok({ ...REGISTRATION, warnings: [] });
    render(<ConnectionPage env="editor" />);
    expect((await screen.findByTestId('secret-rotation')).textContent).toMatch(
      /^Previous signing secret accepted until /,
    );
    expect((screen.getByLabelText('Receive webhooks') as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect(chip().textContent).toBe('Not registered'));

    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(chip().textContent).toBe('Enabled'));
    await waitFor(() => expect((screen.getByLabelText('Receive webhooks') as HTMLInputElement).checked).toBe(true));
    expect(screen.queryByTestId('secret-rotation')).toBeNull();
  });
});
