// @vitest-environment node
/**
 * End to end in headless Chromium against the real built server: an edit survives leaving the page at once, two
 * tabs on one workflow end in a conflict the user settles instead of a silent overwrite, and the version history
 * rolls production back to an older version behind a typed confirmation.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let workflowId = '';

interface Stored {
  version: number;
  draft: { nodes: { id: string; config: { message?: string } }[] } | null;
  document: { nodes: { id: string; config: { message?: string } }[] };
  published: { staging: number | null; production: number | null };
}

async function stored(): Promise<Stored> {
  const res = await fetch(`${server.url}/admin/api/workflows/${workflowId}`, {
    headers: { Authorization: `Bearer ${server.token}` },
  });
  return (await res.json()) as Stored;
}
const messageOf = (doc: Stored['document'] | null) => doc?.nodes.find((n) => n.id === 'note')?.config.message;

async function openWorkflow(p: Page) {
  await p.goto(`/editor/workflows/${workflowId}`);
  await p.locator('[data-node-id="note"]').click();
  return p.getByLabel(/^Message/);
}

describe('versions, drafts and conflicts end to end', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    buildEditor();
    server = await startServer(repoRoot);
    const created = await fetch(`${server.url}/admin/api/workflows`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Versioned',
        nodes: [
          { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } },
          { id: 'note', type: 'log', config: { message: 'first' }, position: { x: 300, y: 0 } },
        ],
        edges: [{ id: 'e1', source: 'trigger', target: 'note' }],
      }),
    });
    expect(created.status).toBe(201);
    workflowId = ((await created.json()) as { id: string }).id;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps an edit when the user leaves the page right after typing it', async () => {
    const message = await openWorkflow(page);
    await message.fill('kept on leaving');
    // At once, well inside the autosave delay.
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await page.getByRole('link', { name: 'Versioned' }).waitFor();
    const s = await stored();
    expect(messageOf(s.draft)).toBe('kept on leaving');
    // A draft is not a version: nothing new runs it.
    expect(s.version).toBe(1);
    expect(messageOf(s.document)).toBe('first');

    await page.getByRole('link', { name: 'Versioned' }).click();
    await page.locator('[data-node-id="note"]').click();
    expect(await page.getByLabel(/^Message/).inputValue()).toBe('kept on leaving');
  });

  it('shows the conflict when a second tab saves over a change it has not seen', async () => {
    const pageB = await context.newPage();
    pageB.setDefaultTimeout(10_000);
    const messageB = await openWorkflow(pageB);
    const messageA = await openWorkflow(page);

    await messageA.fill('from tab A');
    await page.getByTestId('save-state').filter({ hasText: 'saved as a draft' }).waitFor();

    // Tab B still holds the ETag from before A's save.
    await messageB.fill('from tab B');
    const conflictB = pageB.getByRole('dialog', { name: 'Changed elsewhere' });
    await conflictB.waitFor();
    expect(messageOf((await stored()).draft)).toBe('from tab A');

    await conflictB.getByRole('button', { name: 'Overwrite with mine' }).click();
    await pageB.getByTestId('save-state').filter({ hasText: 'saved as a draft' }).waitFor();
    expect(messageOf((await stored()).draft)).toBe('from tab B');

    // Now tab A is the stale one; it takes B's document.
    await messageA.fill('from tab A again');
    const conflictA = page.getByRole('dialog', { name: 'Changed elsewhere' });
    await conflictA.waitFor();
    await conflictA.getByRole('button', { name: 'Reload theirs' }).click();
    await page.locator('[data-node-id="note"]').click();
    await expect.poll(() => page.getByLabel(/^Message/).inputValue()).toBe('from tab B');
    expect(messageOf((await stored()).draft)).toBe('from tab B');
    await pageB.close();
  });

  it('lists versions with a field diff and rolls production back to an older one after confirmation', async () => {
    // Save makes v2 of what the canvas shows; then v3.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^All changes saved$/ })
      .waitFor();
    await page.getByLabel(/^Message/).fill('third');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^All changes saved$/ })
      .waitFor();
    expect((await stored()).version).toBe(3);

    // v3 to production: the button waits for the typed confirmation.
    await page.getByRole('button', { name: 'Publish…' }).click();
    const publish = page.getByRole('dialog', { name: 'Publish' });
    await publish.getByLabel('production').check();
    const go = publish.getByRole('button', { name: 'Publish to production' });
    expect(await go.isDisabled()).toBe(true);
    await publish.getByLabel('Confirm production').fill('production');
    await go.click();
    await page.getByText('Published v3 to production.').waitFor();

    // The history: every version with its time; v2 against the canvas shows the changed field old → new.
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'Version history' });
    const list = history.getByRole('list', { name: 'Versions' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3);
    await list.getByText('live in production').waitFor();
    await history.getByLabel('v2', { exact: true }).check();
    const change = history.getByRole('listitem').filter({ hasText: 'note.config.message' });
    await change.waitFor();
    expect(await change.textContent()).toContain('"from tab B" → "third"');

    await history.getByRole('button', { name: 'Publish v2…' }).click();
    await publish.getByText('Publish v2').waitFor();
    await publish.getByLabel('production').check();
    await publish.getByText('a rollback from v3').waitFor();
    await publish.getByRole('listitem').filter({ hasText: '"third" → "from tab B"' }).waitFor();
    expect(await go.isDisabled()).toBe(true);
    await publish.getByLabel('Confirm production').fill('production');
    await go.click();
    await page.getByText('Published v2 to production.').waitFor();
    expect((await stored()).published.production).toBe(2);
  });
});
