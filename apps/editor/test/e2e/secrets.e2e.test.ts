// @vitest-environment node
/**
 * End to end in headless Chromium against the real built server: set a secret and a variable on the Secrets &
 * variables page, then use them in a node, where the expression completion offers the secret by name and the
 * preview shows its mask. The page never receives the value.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const SLACK_URL = 'https://hooks.slack.example/services/T0E2E/B0E2E/sEcReTvAlUe4321';

let server: RunningServer;
let browser: Browser;
let page: Page;
const answers: string[] = [];
const consoleErrors: string[] = [];

describe('secrets and variables end to end', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // The server serves apps/editor/dist: build it from the current sources.
    buildEditor();
    server = await startServer(repoRoot);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    // Everything the admin API answers the page, to check that no answer carries the value.
    page.on('response', async (res) => {
      if (res.url().includes('/admin/api/')) answers.push(await res.text().catch(() => ''));
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets a secret and a variable on the page', async () => {
    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Secrets & variables' }).click();
    await page.getByRole('heading', { name: 'Secrets & variables' }).waitFor();

    const secretForm = page.getByRole('form', { name: 'Set a secret' });
    await secretForm.getByLabel('Name').fill('SLACK_URL');
    await secretForm.getByLabel('Value').fill(SLACK_URL);
    await secretForm.getByRole('button', { name: 'Save secret' }).click();
    const secrets = page.getByRole('table', { name: 'Secrets list' });
    await secrets.getByText('SLACK_URL', { exact: true }).waitFor();
    await secrets.getByText('••••4321').waitFor();
    expect(await secretForm.getByLabel('Value').inputValue()).toBe('');

    const varForm = page.getByRole('form', { name: 'Set a variable' });
    await varForm.getByLabel('Name').fill('CHANNEL');
    await varForm.getByLabel('Value (JSON)').fill('"#billing"');
    await varForm.getByRole('button', { name: 'Save variable' }).click();
    await page.getByRole('table', { name: 'Variables list' }).getByText('"#billing"').waitFor();
  });

  it('offers the secret in a node’s expression and previews only its mask', async () => {
    const created = await fetch(`${server.url}/admin/api/workflows`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Notify Slack',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } },
          {
            id: 'call',
            type: 'http.request',
            config: { method: 'POST', url: 'https://example.com', json: { channel: '{{ context.vars.CHANNEL }}' } },
            position: { x: 300, y: 0 },
          },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'call' }],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await page.goto(`/editor/workflows/${id}`);
    await page.locator('[data-node-id="call"]').click();
    const url = page.locator('#cfg-call-url');
    await url.fill('');
    await url.pressSequentially('{{ context.secrets.SL');
    await page.getByRole('option', { name: /context\.secrets\.SLACK_URL/ }).waitFor();
    await url.press('Enter');
    expect(await url.inputValue()).toBe('{{ context.secrets.SLACK_URL }}');
    await page.locator('.preview.value').filter({ hasText: '••••4321' }).first().waitFor();

    // The variable completes too, with its value.
    await url.fill('');
    await url.pressSequentially('{{ context.vars.CH');
    await page.getByRole('option', { name: /context\.vars\.CHANNEL/ }).waitFor();
    expect(await page.getByRole('option', { name: /context\.vars\.CHANNEL/ }).textContent()).toContain('#billing');

    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.includes('sEcReTvAlUe'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
