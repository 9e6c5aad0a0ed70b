import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Environment, StripeRegistrationStatus } from '../src/api/types.js';
import { ConnectionPage } from '../src/pages/ConnectionPage.js';
import { connectionWarnings } from '../src/pages/connectionWarnings.js';

/** The admin API behind `fetch`: each environment's connection, answered when the test releases it. */
let pending: Map<string, (c: Connection) => void>;
let stored: Partial<Record<Environment, Connection>>;
let puts: { env: string; body: unknown }[];

function connection(environment: Environment, over: Partial<Connection> = {}): Connection {
  return {
    environment,
    secretKey: null,
    mode: null,
    webhookEnabled: false,
    webhookPath: null,
    webhookSecret: null,
    webhookUrl: null,
    warnings: [],
    lastEventReceivedAt: null,
    eventCounts: {},
    updatedAt: null,
    previousWebhookSecretExpiresAt: null,
    stripeEndpointId: null,
    ...over,
  };
}

const registration = (env: string): StripeRegistrationStatus => ({
  registered: false,
  endpointId: null,
  status: null,
  enabledEvents: [],
  neededEvents: [],
  url: null,
  webhookUrl: `https://hooks.example.com/api/stripe/${env}`,
  registeredAt: null,
  lastEventReceivedAt: null,
  lastReconciledAt: null,
  stripeError: null,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  pending = new Map();
  puts = [];
  stored = {
    editor: connection('editor', {
      webhookEnabled: true,
      webhookPath: '/stripe/editor-dev',
      webhookUrl: 'https://hooks.example.com/api/stripe/editor-dev',
      secretKey: 'sk_test_…4242',
      mode: 'test',
    }),
    production: connection('production', {
      webhookEnabled: false,
      webhookPath: '/stripe/prod',
      webhookUrl: 'https://hooks.example.com/api/stripe/prod',
    }),
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = String(input).replace(/^\/admin\/api/, '');
      const method = init.method ?? 'GET';
      const register = /^\/environments\/(\w+)\/stripe\/register$/.exec(path);
      if (register) return json(registration(register[1]!));
      const env = /^\/environments\/(\w+)\/stripe$/.exec(path)?.[1] as Environment | undefined;
      if (!env) return json({ error: 'not_found', message: path }, 404);
      if (method === 'PUT') {
        puts.push({ env, body: JSON.parse(String(init.body)) });
        return json(stored[env]);
      }
      // The production answer waits for the test, so the switch happens while it is on the way.
      if (env === 'production') return json(await new Promise<Connection>((resolve) => pending.set(env, resolve)));
      return json(stored[env] ?? connection(env));
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const pathInput = () => screen.getByPlaceholderText('/stripe/production') as HTMLInputElement;
const receive = () => screen.getByLabelText('Receive webhooks') as HTMLInputElement;

describe('the connection form per environment', () => {
  it("shows each environment's own values on a switch, never the previous one's", async () => {
    const { rerender } = render(<ConnectionPage env="editor" />);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/editor-dev'));
    expect(receive().checked).toBe(true);
    // An unsaved edit in the editor environment must not travel either.
    fireEvent.change(pathInput(), { target: { value: '/stripe/edited' } });

    rerender(<ConnectionPage env="production" />);
    // While production's answer is on the way the form is gone, not holding the editor's values.
    expect(screen.queryByPlaceholderText('/stripe/production')).toBeNull();
    await waitFor(() => expect(pending.has('production')).toBe(true));
    pending.get('production')!(stored.production!);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/prod'));
    expect(receive().checked).toBe(false);

    // Saving sends production's values, so it cannot take the editor's path or turn production's webhooks on.
    fireEvent.click(screen.getByRole('button', { name: 'Save connection' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ env: 'production', body: { webhookEnabled: false, webhookPath: '/stripe/prod' } });

    rerender(<ConnectionPage env="editor" />);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/editor-dev'));
  });

  it('warns while typing about a key of the wrong mode for the environment', async () => {
    const { rerender } = render(<ConnectionPage env="editor" />);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/editor-dev'));
    const warnings = () => screen.queryByRole('list', { name: 'Check before saving' })?.textContent ?? '';
    expect(warnings()).toBe('');
    fireEvent.change(screen.getByLabelText('Secret key'), { target: { value: 'sk_live_abc123' } });
    expect(warnings()).toMatch(/This key is a live key: outside production/);
    fireEvent.change(screen.getByLabelText('Secret key'), { target: { value: 'rk_live_abc123' } });
    expect(warnings()).toMatch(/live key/);
    fireEvent.change(screen.getByLabelText('Secret key'), { target: { value: 'sk_test_abc123' } });
    expect(warnings()).toBe('');

    rerender(<ConnectionPage env="production" />);
    await waitFor(() => expect(pending.has('production')).toBe(true));
    pending.get('production')!(stored.production!);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/prod'));
    fireEvent.change(screen.getByLabelText('Secret key'), { target: { value: 'sk_test_abc123' } });
    expect(warnings()).toMatch(/This key is a test key: production would not see live payments/);
    fireEvent.change(screen.getByLabelText('Secret key'), { target: { value: 'sk_live_abc123' } });
    expect(warnings()).toBe('');
  });

  it('warns while webhooks are on that a localhost PUBLIC_URL cannot be reached by Stripe', async () => {
    stored.editor = connection('editor', {
      webhookEnabled: false,
      webhookPath: '/stripe/editor',
      webhookUrl: 'http://localhost:8080/api/stripe/editor',
    });
    render(<ConnectionPage env="editor" />);
    await waitFor(() => expect(pathInput().value).toBe('/stripe/editor'));
    expect(screen.queryByRole('list', { name: 'Check before saving' })).toBeNull();
    fireEvent.click(receive());
    expect(screen.getByRole('list', { name: 'Check before saving' }).textContent).toMatch(
      /http:\/\/localhost:8080\/api\/stripe\/editor is on this machine only: Stripe cannot reach it/,
    );
  });
});

describe('connectionWarnings', () => {
  const base = { typedKey: '', storedMode: null, webhookEnabled: true, webhookUrl: 'https://a.example/api/x' } as const;
  it('judges the stored key when none is typed, and every local host', () => {
    expect(connectionWarnings({ ...base, env: 'staging', storedMode: 'live' })[0]).toMatch(/^The stored key is a live/);
    expect(connectionWarnings({ ...base, env: 'production', storedMode: 'live' })).toEqual([]);
    for (const host of ['127.0.0.1:3000', 'localhost', '[::1]:8080'])
      expect(connectionWarnings({ ...base, env: 'editor', webhookUrl: `http://${host}/api/x` })).toHaveLength(1);
    expect(connectionWarnings({ ...base, env: 'editor', webhookUrl: 'http://localhost.example.com/api/x' })).toEqual(
      [],
    );
  });
});
