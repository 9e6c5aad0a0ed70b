// @vitest-environment node
/**
 * End to end in headless Chromium against the real built server: forged deliveries appear on the connection page
 * with their count and the hint for a signature failure; the alerts section saves a destination and shows what a
 * test alert did (here: no SMTP server, so the email fails, and the page says why).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const shotsDir = join(repoRoot, 'docs', 'screenshots');

let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('refused deliveries and alerts end to end', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    buildEditor();
    server = await startServer(repoRoot);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${m.text()} at ${m.location().url}`));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists forged deliveries on the connection page with a hint', async () => {
    const put = await admin('PUT', '/environments/editor/stripe', {
      webhookEnabled: true,
      webhookPath: '/e2e/editor',
      webhookSecret: 'whsec_e2e_refusals',
    });
    expect(put.status).toBe(200);
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${server.url}/api/e2e/editor`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
        },
        body: JSON.stringify({ id: `evt_forged_${i}`, type: 'invoice.paid', created: 1 }),
      });
      expect(res.status).toBe(400);
    }
    // Refusals are written a moment after they are answered.
    for (let i = 0; ; i++) {
      const listed = (await (await admin('GET', '/environments/editor/rejections')).json()) as unknown[];
      if (listed.length === 12) break;
      if (i > 100) throw new Error(`refusals not listed: ${listed.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Connection' }).click();
    const section = page.getByRole('region', { name: 'Refused deliveries' });
    await section.getByText('12 refused in the last 24 hours').waitFor();
    await section.getByText("the signing secret in Switchyard does not match the endpoint's in Stripe").waitFor();
    await section.getByText('All 12 kept').click();
    expect(await section.getByRole('row').count()).toBe(13);
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: join(shotsDir, '18-refused-deliveries.png') });
  });

  it('saves an alert address and shows what the test alert did', async () => {
    await page.getByRole('link', { name: 'Secrets & variables' }).click();
    const section = page.getByRole('region', { name: 'Alerts' });
    await section.getByLabel('Email address').fill('ops@example.com');
    await section.getByRole('button', { name: 'Save alerts' }).click();
    await section.getByText('Saved').waitFor();
    await section.getByRole('button', { name: 'Send test alert' }).click();
    await section
      .getByRole('alert')
      .getByText(
        /Email: failed .*Email is not set up for this environment: add an SMTP server on this page, or set SMTP_URL on the server\./,
      )
      .waitFor();
    await section
      .getByText(/Email: failed/)
      .first()
      .waitFor();
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: join(shotsDir, '19-alerts.png') });
    expect(consoleErrors).toEqual([]);
  });
});
