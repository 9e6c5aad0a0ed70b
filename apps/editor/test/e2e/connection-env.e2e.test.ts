// @vitest-environment node
/**
 * End to end in headless Chromium against the real built server: the connection page shows each environment's
 * own stored values when the environment is switched, and warns while typing. The editor is built into a
 * server tree of this test's own (a copy of the server's build next to it), so it never races another e2e
 * file rebuilding apps/editor/dist.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

let root: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/admin/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const pathField = () => page.getByLabel('Webhook path');
const receive = () => page.getByLabel('Receive webhooks');
const warnings = () => page.getByRole('list', { name: 'Check before saving' });

describe('connection form per environment, end to end', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'switchyard-e2e-root-'));
    mkdirSync(join(root, 'apps/server'), { recursive: true });
    for (const part of ['dist', 'drizzle', 'package.json'])
      cpSync(join(repoRoot, 'apps/server', part), join(root, 'apps/server', part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    buildEditor(join(root, 'apps/editor/dist'));
    server = await startServer(root);
    for (const [env, body] of [
      [
        'editor',
        { secretKey: 'sk_test_51EnvSwitchKey00004242', webhookEnabled: true, webhookPath: '/stripe/dev-hooks' },
      ],
      ['production', { webhookEnabled: false, webhookPath: '/stripe/live-hooks' }],
    ] as const)
      expect((await admin('PUT', `/environments/${env}/stripe`, body)).status).toBe(200);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("switches environments on the connection page and sees each one's own values", async () => {
    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('link', { name: 'Stripe connection' }).click();

    await expect.poll(() => pathField().inputValue()).toBe('/stripe/dev-hooks');
    expect(await receive().isChecked()).toBe(true);
    // PUBLIC_URL is 127.0.0.1 here: Stripe could never deliver to it, and the form says so before any save.
    await expect.poll(() => warnings().textContent()).toMatch(/Stripe cannot reach it/);
    // An unsaved edit stays with its environment.
    await pathField().fill('/stripe/typed-but-not-saved');

    await page.getByLabel('Environment', { exact: true }).selectOption('production');
    await expect.poll(() => pathField().inputValue()).toBe('/stripe/live-hooks');
    expect(await receive().isChecked()).toBe(false);
    expect(await page.getByLabel('Secret key').getAttribute('placeholder')).toBe('not set');

    await page.getByLabel('Secret key').fill('sk_test_51TypedInProduction04242');
    await expect.poll(() => warnings().textContent()).toMatch(/This key is a test key: production/);
    await page.getByLabel('Secret key').fill('');

    // Saving production as shown keeps production's own settings: no path clash, webhooks stay off.
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const production = (await (await admin('GET', '/environments/production/stripe')).json()) as {
      webhookEnabled: boolean;
      webhookPath: string;
    };
    expect(production).toMatchObject({ webhookEnabled: false, webhookPath: '/stripe/live-hooks' });

    await page.getByLabel('Environment', { exact: true }).selectOption('editor');
    await expect.poll(() => pathField().inputValue()).toBe('/stripe/dev-hooks');
    expect(await receive().isChecked()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
