// @vitest-environment node
/**
 * End to end in headless Chromium against the real built server: a row created by hand in production's Tables
 * page is not in editor's. Screenshots go to a temp directory (printed), not into the repository.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const shotsDir = mkdtempSync(join(tmpdir(), 'switchyard-tables-e2e-'));

let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });

const adminGet = async (path: string) =>
  (await fetch(`${server.url}/admin/api${path}`, { headers: { Authorization: `Bearer ${server.token}` } })).json();

describe('tables per environment end to end', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    // The server serves apps/editor/dist: build it from the current sources. Without emptying it first, so a
    // build by another e2e file running at the same time never leaves the directory empty (same sources, same
    // file names and contents).
    buildEditor();
    server = await startServer(repoRoot, { healthyWithinMs: 120_000 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    console.info(`[e2e] tables screenshots in ${shotsDir}`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a row created by hand in production is not in editor', async () => {
    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();

    await page.getByLabel('Environment').selectOption('production');
    await page.getByRole('link', { name: 'Tables' }).click();
    await page.getByText('No tables in production yet').waitFor();

    await page.getByRole('button', { name: 'New row' }).click();
    const dialog = page.getByRole('dialog', { name: 'New row' });
    await dialog.getByLabel('Table').fill('customers');
    await dialog.getByLabel('Key').fill('cus_e2e_1');
    const values = dialog.getByLabel('Values (JSON)');
    await values.fill('{ "plan": ');
    await dialog.getByText(/not valid JSON/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Create row' }).isDisabled()).toBe(true);
    await values.fill('{ "plan": "pro", "seats": 3 }');
    await shot('01-new-row');
    await dialog.getByRole('button', { name: 'Create row' }).click();

    const rows = page.getByRole('table', { name: 'Rows of customers' });
    await rows.getByRole('cell', { name: 'cus_e2e_1', exact: true }).waitFor();
    expect(await rows.getByRole('cell', { name: 'pro', exact: true }).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/production/tables/customers');
    await page.getByRole('list', { name: 'Tables' }).getByText('1 row').waitFor();
    await shot('02-production-row');

    // Edit it by hand: the values are replaced whole.
    await page.getByRole('button', { name: 'Edit cus_e2e_1' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit row cus_e2e_1' });
    await edit.getByLabel('Values (JSON)').fill('{ "plan": "team" }');
    await edit.getByRole('button', { name: 'Save' }).click();
    await rows.getByRole('cell', { name: 'team', exact: true }).waitFor();
    expect(await rows.getByRole('cell', { name: '3', exact: true }).count()).toBe(0);

    // The environment switcher keeps the table in the address: editor has no such table and no row.
    await page.getByLabel('Environment').selectOption('editor');
    await page.getByText('The editor environment has no table named').waitFor();
    await page.getByText('No tables in editor yet').waitFor();
    expect(new URL(page.url()).pathname).toBe('/editor/tables/customers');
    expect(await page.getByText('cus_e2e_1').count()).toBe(0);
    await shot('03-editor-does-not-see-it');
    expect(await adminGet('/environments/editor/tables')).toEqual([]);
    expect(await adminGet('/environments/production/tables/customers/rows')).toMatchObject([
      { key: 'cus_e2e_1', values: { plan: 'team' } },
    ]);

    // Back in production the row is there; deleting asks first.
    await page.getByLabel('Environment').selectOption('production');
    await rows.getByRole('cell', { name: 'cus_e2e_1', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete cus_e2e_1' }).click();
    await page.getByRole('dialog', { name: 'Delete row' }).getByRole('button', { name: 'Delete row' }).click();
    await page.getByText('customers has no rows in production.').waitFor();
    await shot('04-deleted');
    expect(consoleErrors).toEqual([]);
  });
});
