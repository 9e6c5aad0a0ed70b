// @vitest-environment node
/**
 * The inspector end to end in headless Chromium against the real built server: an HTTP node whose JSON body
 * (an object, a `{{ }}` value and `null`) reaches a local receiver as JSON of those types, and an If whose
 * condition is made with the builder and routes a test run both ways. Screenshots of the Switch and HTTP
 * inspectors go to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sampleEvent } from '@switchyard/engine/samples';
import type { Browser, Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, launchChromium } from './browser.js';
import { type RunningServer, startServer } from './server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const shotsDir = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const WEBHOOK_SECRET = 'whsec_e2eSecretForTheInspectorTest99';

interface Received {
  path: string;
  contentType: string;
  body: string;
}

let server: RunningServer;
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    void readBody(req).then((body) => {
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/admin/api${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers },
  });

/** The inspector aside; the selected node's id is in its header. */
const inspector = () => page.getByRole('complementary', { name: 'Inspector' });

async function addNode(type: string): Promise<string> {
  const before = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.dataset.id));
  await page.locator(`[data-node-type="${type}"]`).click();
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(before.length + 1);
  const after = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.dataset.id));
  const id = after.find((x) => !before.includes(x))!;
  await page.locator(`[data-node-id="${id}"]`).click();
  await inspector().locator('.inspector-head code').filter({ hasText: id }).waitFor();
  return id;
}

async function select(id: string) {
  await page.locator(`[data-node-id="${id}"]`).click();
  await inspector().locator('.inspector-head code').filter({ hasText: id }).waitFor();
}

/** Removes a node's outgoing edges (a palette click may have connected the new node to the selected one). */
async function disconnectAll(id: string) {
  await select(id);
  const buttons = inspector().getByRole('button', { name: /^Disconnect / });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

async function connect(from: string, output: string, to: string) {
  await select(from);
  await inspector().getByLabel(`Connect ${output} to`).selectOption(to);
}

/** Runs the invoice.paid sample and waits for the run to finish. */
async function testRun(): Promise<void> {
  const runs = await page.locator('.run-status').count();
  await page.getByLabel('Sample event').selectOption('invoice.paid');
  await page.getByRole('button', { name: 'Run test' }).click();
  if (runs > 0) await page.getByRole('button', { name: 'Running…' }).waitFor({ state: 'detached' });
  await page.locator('.run-status').filter({ hasText: 'succeeded' }).waitFor({ timeout: 20_000 });
}

/** The whole inspector panel, however long: a taller window for the picture, then back. */
async function shotInspector(name: string) {
  const height = await page.locator('.side').evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.max(800, height + 120) });
  await page.locator('.side').screenshot({ path: `${shotsDir}${name}.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Replaces a CodeMirror editor's text as a paste would (no auto-closed brackets). */
async function setCode(name: string, text: string) {
  const editor = inspector().getByRole('textbox', { name });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

describe('inspector end to end', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    buildEditor();
    await startReceiver();
    // The receiver is on loopback: workflow HTTP calls may reach it in this test only.
    process.env.ALLOW_PRIVATE_NETWORK_REQUESTS = 'true';
    server = await startServer(repoRoot);
    const created = await api('/workflows', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Inspector e2e',
        nodes: [{ id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } }],
        edges: [],
      }),
    });
    expect(created.status).toBe(201);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto('/');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('link', { name: 'Inspector e2e' }).click();
    await page.locator('[data-node-id="trigger"]').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => receiver?.close(r));
    delete process.env.ALLOW_PRIVATE_NETWORK_REQUESTS;
  });

  const invoice = (sampleEvent('invoice.paid')!.data as { object: { customer: string; amount_paid: number } }).object;
  let ifId = '';
  let paidHttp = '';
  let otherHttp = '';

  it('wraps the trigger’s action checkboxes inside the panel', async () => {
    await select('trigger');
    const grid = inspector().locator('.choice-grid');
    await grid.waitFor();
    const overflow = await grid.evaluate((el) => {
      const panel = el.closest('.side')!.getBoundingClientRect();
      return [...el.querySelectorAll('label')].filter((l) => l.getBoundingClientRect().right > panel.right + 0.5)
        .length;
    });
    expect(overflow).toBe(0);
    expect(await grid.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shotInspector('inspector-trigger');
  });

  it('builds an If with the condition builder', async () => {
    ifId = await addNode('if');
    const condition = inspector().getByRole('group', { name: /^Condition/ });
    await condition.getByLabel('Rule 1 field').fill('context.event.object.status');
    await condition.getByLabel('Rule 1 operator').selectOption('eq');
    await condition.getByLabel('Rule 1 value').fill('paid');
    await condition.getByText('{{ context.event.object.status = "paid" }}').waitFor();
    await shotInspector('inspector-condition');
  });

  it('builds an HTTP node whose JSON body is an object with a template and null', async () => {
    paidHttp = await addNode('http.request');
    await inspector().getByLabel(/^URL/).fill(`${receiverUrl}/paid`);
    // The body is one line of pasted JSON; a half-typed body would show an error and keep the last valid one.
    await setCode('JSON body', '{"customer": ');
    await inspector()
      .getByText(/Not valid JSON yet/)
      .waitFor();
    await setCode(
      'JSON body',
      '{"customer": "{{ context.event.object.customer }}", "amount": "{{ context.event.object.amount_paid }}", "coupon": null, "meta": {"plan": "pro", "seats": 3}}',
    );
    await inspector()
      .getByText(/Not valid JSON yet/)
      .waitFor({ state: 'detached' });
    // The preview shows what this sample would send.
    await inspector().locator('.json-field .preview.value').filter({ hasText: invoice.customer }).waitFor();
    await shotInspector('inspector-http');

    otherHttp = await addNode('http.request');
    await inspector().getByLabel(/^URL/).fill(`${receiverUrl}/other`);
    // Clicked nodes may land on each other: lay them out before selecting the older ones.
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    for (const id of ['trigger', ifId, paidHttp, otherHttp]) await disconnectAll(id);
    await connect('trigger', 'main', ifId);
    await connect(ifId, 'true', paidHttp);
    await connect(ifId, 'false', otherHttp);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
  });

  it('test-runs: the receiver gets a JSON object with those types, on the path the condition chose', async () => {
    await testRun();
    await expect.poll(() => received.length).toBe(1);
    const got = received[0]!;
    expect(got.path).toBe('/paid');
    expect(got.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(body).toEqual({
      customer: invoice.customer,
      amount: invoice.amount_paid,
      coupon: null,
      meta: { plan: 'pro', seats: 3 },
    });
    expect(typeof body.meta).toBe('object');
    expect(typeof body.amount).toBe('number');
    await page.locator(`.step.run-succeeded[data-node-id="${paidHttp}"]`).waitFor();

    // The saved document holds the body as JSON, not as a string of it.
    const list = (await (await api('/workflows')).json()) as { id: string; name: string }[];
    const wf = (await (await api(`/workflows/${list.find((w) => w.name === 'Inspector e2e')!.id}`)).json()) as {
      document: { nodes: { id: string; config: Record<string, unknown> }[] };
    };
    expect(wf.document.nodes.find((n) => n.id === paidHttp)!.config.json).toEqual({
      customer: '{{ context.event.object.customer }}',
      amount: '{{ context.event.object.amount_paid }}',
      coupon: null,
      meta: { plan: 'pro', seats: 3 },
    });
  });

  it('routes the other way once the condition no longer holds', async () => {
    await select(ifId);
    await inspector().getByLabel('Rule 1 value').fill('open');
    await inspector().getByText('{{ context.event.object.status = "open" }}').waitFor();
    await testRun();
    await expect.poll(() => received.length).toBe(2);
    expect(received[1]!.path).toBe('/other');
    await page.locator(`.step.run-succeeded[data-node-id="${otherHttp}"]`).waitFor();
  });

  it('shows a Switch case as one condition with an id made from its value, and no error before it is touched', async () => {
    const id = await addNode('switch');
    await inspector().getByRole('button', { name: 'Add case' }).click();
    const first = inspector().getByRole('group', { name: 'Case 1' });
    expect(await inspector().locator('.field-error').count()).toBe(0);
    await first.getByLabel('Condition: equals').fill('paid');
    expect(await first.getByLabel(/^Output name/).inputValue()).toBe('paid');
    await inspector().getByRole('button', { name: 'Add case' }).click();
    const second = inspector().getByRole('group', { name: 'Case 2' });
    await second.getByLabel('Condition kind').selectOption('in');
    await second.getByRole('button', { name: 'Add value' }).click();
    await second.getByLabel('Condition: is one of 1').fill('payment_failed');
    await page.locator(`[data-node-id="${id}"] .react-flow__handle[data-handleid="payment_failed"]`).waitFor();
    expect(await second.getByLabel(/^Output name/).inputValue()).toBe('payment_failed');
    await shotInspector('inspector-switch');
  });

  it('previews against the event of the run shown, not the sample', async () => {
    const connected = await api('/environments/editor/stripe', {
      method: 'PUT',
      body: JSON.stringify({
        secretKey: 'sk_test_51E2eTestKey0000004242',
        webhookEnabled: true,
        webhookPath: '/stripe/inspector',
        webhookSecret: WEBHOOK_SECRET,
      }),
    });
    expect(connected.status).toBe(200);
    // The sample's invoice is paid; this one is not, so a preview shows which event it read.
    const sample = sampleEvent('invoice.paid')!;
    const event = {
      ...sample,
      id: 'evt_e2e_inspector_run',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...(sample.data as { object: object }).object, status: 'uncollectible' } },
    };
    const payload = JSON.stringify(event);
    const header = await new Stripe('sk_test_unused').webhooks.generateTestHeaderStringAsync({
      payload,
      secret: WEBHOOK_SECRET,
    });
    const sent = await fetch(`${server.url}/api/stripe/inspector`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
      body: payload,
    });
    expect(sent.status).toBe(200);
    const list = (await (await api('/workflows')).json()) as { id: string; name: string }[];
    const workflowId = list.find((w) => w.name === 'Inspector e2e')!.id;
    let executionId = '';
    await expect
      .poll(
        async () => {
          const rows = (await (
            await api(`/executions?workflowId=${workflowId}&eventId=evt_e2e_inspector_run`)
          ).json()) as { id: string; status: string }[];
          executionId = rows.find((x) => x.status === 'succeeded')?.id ?? '';
          return executionId;
        },
        { timeout: 20_000, interval: 300 },
      )
      .not.toBe('');
    await page.goto(`/editor/workflows/${workflowId}?execution=${executionId}`);
    await page.locator('.run-banner').waitFor();
    await select(ifId);
    await inspector().getByText('now "uncollectible"').waitFor();
    expect(await inspector().getByText('now "paid"').count()).toBe(0);
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
