// @vitest-environment node
/**
 * The canvas end to end in headless Chromium against the real built server (PGlite in a temp dir): the New
 * workflow dialog by keyboard only, a template created and test-run green, "+" on an output handle, the shortcuts
 * after a click on empty canvas, sticky notes saved with the document, the run summary, and a 30-node workflow
 * that stays readable. Any console error or page error fails the test it happens in. Screenshots go to
 * docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const shotsDir = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: `${shotsDir}${name}.png` });

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}/admin/api${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers },
  });
  expect(res.ok, `${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
  return (await res.json()) as T;
}

interface Doc {
  nodes: { id: string; type: string; position?: { x: number; y: number } }[];
  edges: { source: string; sourceHandle?: string; target: string }[];
  notes?: { id: string; text: string }[];
}
interface Rec {
  id: string;
  version: number;
  document: Doc;
  draft: Doc | null;
}

/** What has the focus: `radio:<value>`, `field:<label>` or `button:<name>`. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (el instanceof HTMLInputElement && el.type === 'radio') return `radio:${el.value}`;
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
      const label = el.getAttribute('aria-label') ?? el.closest('label')?.querySelector('span')?.textContent;
      return `field:${label}`;
    }
    if (el instanceof HTMLButtonElement) return `button:${el.getAttribute('aria-label') ?? el.textContent?.trim()}`;
    return el?.tagName ?? '';
  });

/** The on-screen box of a canvas node. */
const boxOf = async (id: string) => (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The zoom of the canvas, from React Flow's viewport transform. */
const zoom = () =>
  page.evaluate(() => {
    const t = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
    return new DOMMatrix(t).a;
  });

describe('canvas end to end', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    buildEditor();
    server = await startServer(repoRoot);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 120_000);

  afterEach(() => {
    const errors = consoleErrors.splice(0);
    expect(errors, 'console errors').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in without the card moving when the token is wrong', async () => {
    await page.goto('/');
    await page.getByLabel('Admin token').waitFor();
    const before = (await page.locator('.login-card').boundingBox())!;
    await page.getByLabel('Admin token').fill('wrong-token');
    await page.keyboard.press('Enter');
    await page.getByText('That token is not the admin token.').waitFor();
    const after = (await page.locator('.login-card').boundingBox())!;
    expect(after.y).toBe(before.y);
    expect(after.height).toBe(before.height);
    consoleErrors.length = 0; // the deliberate 401
    await page.getByLabel('Admin token').fill(server.token);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  });

  let workflowId = '';
  it('creates a workflow from a template with the keyboard only', async () => {
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'New workflow' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.waitFor();
    // Focus is in the name field, and Escape closes.
    expect(await focused()).toBe('field:Name');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New workflow' }).focus();
    await page.keyboard.press('Enter');
    await dialog.getByText('Grant access after checkout').waitFor();
    await shot('12-template-gallery');
    await page.keyboard.type('Access after checkout');
    // Tab reaches the gallery's choices (arrows pick one), then Cancel, then Create.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('radio:blank');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('radio:grant-access-after-checkout');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Create');
    await page.keyboard.press('Enter');
    await page.locator('[data-node-id="grant"]').waitFor();
    workflowId = new URL(page.url()).pathname.split('/').pop()!;
    const rec = await admin<Rec>(`/workflows/${workflowId}`);
    expect(rec.document.nodes.map((n) => n.id).sort()).toEqual(['expire', 'grant', 'route', 'trigger']);
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Access after checkout');
  });

  it('offers every trigger of the registry for a blank workflow, with the event types of the generic one', async () => {
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await page.getByRole('button', { name: 'New workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.getByLabel('Trigger', { exact: true }).selectOption('stripe.event');
    await dialog.getByLabel('Search event types').waitFor();
    // A template hides the blank workflow's trigger fields.
    await dialog.getByText('Grant access after checkout').click();
    await dialog.getByLabel('Trigger', { exact: true }).waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.goto(`/editor/workflows/${workflowId}`);
    await page.locator('[data-node-id="grant"]').waitFor();
  });

  it('test-runs the template green on its sample event', async () => {
    await page.getByLabel('Sample event').selectOption('checkout.session.completed');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.locator('.run-status').filter({ hasText: 'succeeded' }).waitFor({ timeout: 20_000 });
    await page.locator('.step.run-succeeded[data-node-id="grant"]').waitFor();
    // Cards: two-line titles at a legible zoom, Stripe mark on the trigger, arrowheads on edges.
    expect(await zoom()).toBeGreaterThanOrEqual(0.75);
    // The whole template is in view at that zoom, beside the palette and the inspector.
    const canvas = (await page.locator('.canvas').boundingBox())!;
    for (const id of ['trigger', 'route', 'grant', 'expire']) {
      const b = await boxOf(id);
      expect(b.x >= canvas.x && b.x + b.width <= canvas.x + canvas.width, `${id} in view`).toBe(true);
    }
    await page.locator('[data-node-id="trigger"] .node-icon svg').waitFor();
    expect(await page.locator('.react-flow__edge path[marker-end]').count()).toBeGreaterThanOrEqual(3);
    await shot('13-template-test-run');
  });

  it('adds a node connected from a "+" on an output handle, in view and in free space', async () => {
    const edgesBefore = await page.locator('.react-flow__edge').count();
    await page.getByRole('button', { name: 'Add a node after Grant access' }).click();
    const picker = page.getByRole('dialog', { name: 'Add a node' });
    await picker.waitFor();
    expect(await focused()).toBe('field:Search nodes to add');
    await page.keyboard.type('set values');
    await shot('14-node-picker');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    await page.locator('[data-node-id="set"]').waitFor();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edgesBefore + 1);
    const canvas = (await page.locator('.canvas').boundingBox())!;
    await expect
      .poll(async () => {
        const b = await boxOf('set');
        return b.x >= canvas.x && b.x + b.width <= canvas.x + canvas.width && b.y >= canvas.y;
      })
      .toBe(true);
    for (const other of ['trigger', 'route', 'grant', 'expire'])
      expect(overlaps(await boxOf('set'), await boxOf(other)), other).toBe(false);
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    const rec = await admin<Rec>(`/workflows/${workflowId}`);
    expect(rec.draft!.edges).toContainEqual({ id: expect.any(String), source: 'grant', target: 'set' });
  });

  it('undoes, redoes, deletes, pastes and saves with shortcuts after a click on empty canvas', async () => {
    const pane = page.locator('.react-flow__pane');
    const empty = async () => {
      const c = (await pane.boundingBox())!;
      await pane.click({ position: { x: 12, y: c.height - 12 } });
    };
    await empty();
    await page.keyboard.press('Control+z');
    await page.locator('[data-node-id="set"]').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await page.locator('[data-node-id="set"]').waitFor();

    await page.locator('[data-node-id="set"]').click();
    await page.keyboard.press('Delete');
    await page.locator('[data-node-id="set"]').waitFor({ state: 'detached' });
    await empty();
    await page.keyboard.press('Control+z');
    await page.locator('[data-node-id="set"]').waitFor();

    // Copy, then paste after a click on the pane: offset into free space, never on the original.
    await page.locator('[data-node-id="expire"]').click();
    await page.keyboard.press('Control+c');
    await empty();
    await page.keyboard.press('Control+v');
    await page.locator('[data-node-id="table_upsert"]').waitFor();
    await expect.poll(async () => overlaps(await boxOf('table_upsert'), await boxOf('expire'))).toBe(false);

    // Typing in a field keeps its own undo: Ctrl+Z in the name field leaves the canvas alone.
    await page.getByLabel('Workflow name').click();
    await page.keyboard.press('Control+z');
    expect(await page.locator('[data-node-id="table_upsert"]').count()).toBe(1);

    // Ctrl+S after a click on empty canvas saves a version.
    const before = await admin<Rec>(`/workflows/${workflowId}`);
    await empty();
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await admin<Rec>(`/workflows/${workflowId}`)).version).toBe(before.version + 1);
    const saved = await admin<Rec>(`/workflows/${workflowId}`);
    expect(saved.document.nodes.map((n) => n.id)).toContain('table_upsert');
  });

  it('keeps a sticky note with the document', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('navigation', { name: 'Node palette' }).getByRole('button', { name: 'Sticky note' }).click();
    const note = page.getByLabel('Note text');
    await note.click();
    await page.keyboard.type('Grants access for a year; expired sessions are kept for support.');
    // Typing in a note is typing: Delete and Ctrl+A stay inside the text.
    await page.keyboard.press('Control+a');
    expect(await page.locator('.react-flow__node.selected').count()).toBeLessThanOrEqual(1);
    await page.keyboard.press('End');
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    await shot('17-sticky-note');
    const rec = await admin<Rec>(`/workflows/${workflowId}`);
    expect(rec.draft!.notes).toEqual([
      expect.objectContaining({
        id: 'note_1',
        text: 'Grants access for a year; expired sessions are kept for support.',
      }),
    ]);
    // The exported document keeps the note; a reload shows it again.
    const exported = await admin<Doc>(`/workflows/${workflowId}/export`);
    expect(exported.notes).toBeUndefined(); // export is of the latest version, which has no note yet
    // Ctrl+S in the note is the note's; after a click on empty canvas it saves a version.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.click(pane.x + 12, pane.y + pane.height - 12);
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await admin<Doc>(`/workflows/${workflowId}/export`)).notes?.length).toBe(1);
    await page.reload();
    await page.getByLabel('Note text').waitFor();
    expect(await page.getByLabel('Note text').inputValue()).toMatch(/^Grants access/);
  });

  it('tells the story of a run when nothing is selected', async () => {
    const runs = await admin<{ id: string; status: string }[]>(`/executions?workflowId=${workflowId}`);
    const run = runs.find((r) => r.status === 'succeeded')!;
    await page.goto(`/editor/workflows/${workflowId}?execution=${run.id}`);
    const summary = page.getByRole('region', { name: 'Run summary' });
    await summary.waitFor();
    await summary.getByRole('link', { name: 'checkout.session.completed' }).waitFor();
    expect(await summary.getByRole('list', { name: 'Steps' }).getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
    await summary.getByRole('button', { name: 'Replay event' }).waitFor();
    await shot('16-run-summary');
    // A step of the timeline selects its node, and the inspector takes the side.
    await summary.getByRole('button', { name: /Grant access/ }).click();
    await page.getByRole('region', { name: 'Execution data' }).waitFor();
  });

  it('keeps a 30-node workflow readable, the mini map clear of the nodes, at 1280 and 1024 wide', async () => {
    const nodes: { id: string; type: string; config: Record<string, unknown>; label?: string }[] = [
      { id: 'trigger', type: 'stripe.invoice', config: { actions: [] } },
      {
        id: 'route',
        type: 'switch',
        config: {
          value: '{{ context.event.action }}',
          cases: ['paid', 'payment_failed', 'finalized', 'voided'].map((a) => ({ id: a, equals: a })),
        },
      },
    ];
    const edges: { id: string; source: string; sourceHandle?: string; target: string }[] = [
      { id: 'e0', source: 'trigger', target: 'route' },
    ];
    for (const branch of ['paid', 'payment_failed', 'finalized', 'voided']) {
      let prev = 'route';
      for (let i = 1; i <= 7; i++) {
        const id = `${branch}_${i}`;
        nodes.push({
          id,
          type: 'log',
          label: `Record ${branch.replace('_', ' ')} invoice step ${i} for the finance team`,
          config: { message: `${branch} ${i}` },
        });
        edges.push({ id: `e_${id}`, source: prev, ...(prev === 'route' ? { sourceHandle: branch } : {}), target: id });
        prev = id;
      }
    }
    expect(nodes).toHaveLength(30);
    const rec = await admin<Rec>('/workflows', {
      method: 'POST',
      body: JSON.stringify({ name: 'Invoice bookkeeping', nodes, edges }),
    });
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`/editor/workflows/${rec.id}`);
      await page.locator('[data-node-id="route"]').waitFor();
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      // Text is about 11 px on screen or more: 15 px titles and summaries at the zoom fit-view chose (polled:
      // the fit animates, and d3's smooth zoom zooms out a little on the way).
      await expect.poll(zoom).toBeGreaterThanOrEqual(0.75);
      const z = await zoom();
      const summaryPx = await page
        .locator('[data-node-id="trigger"] .step-summary')
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(summaryPx * z).toBeGreaterThanOrEqual(11);
      const outputPx = await page
        .locator('[data-node-id="route"] .step-output')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(outputPx * z).toBeGreaterThanOrEqual(10.8);
      const map = page.locator('.react-flow__minimap');
      if (await map.count()) {
        const m = (await map.boundingBox())!;
        for (const n of await page.locator('.react-flow__node').all()) {
          const b = await n.boundingBox();
          if (b) expect(overlaps(m, b), `mini map over ${await n.getAttribute('data-id')} at ${width}`).toBe(false);
        }
      }
      if (width === 1280) await shot('15-large-workflow');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
