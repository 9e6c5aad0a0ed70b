import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody, operations } from '@switchyard/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { invoiceWorkflow } from './support/workflows.js';

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApiDocument {
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, Record<string, string>> };
}

const SESSION_PATHS = new Set(['/session']);
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A path of the document with every `{param}` filled, as a client would call it. */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'env' ? 'editor' : 'x1'));

describeEachDriver('admin API contract', (ctx) => {
  let t: ReturnType<typeof testApp>;
  let doc: OpenApiDocument;
  let editorDir: string;

  beforeAll(async () => {
    // A built editor, so the catch-all GET that serves index.html is really there.
    editorDir = mkdtempSync(join(tmpdir(), 'switchyard-editor-'));
    writeFileSync(join(editorDir, 'index.html'), '<!doctype html><title>editor</title>');
    t = testApp(ctx.database, { editorDir });
    doc = (await (await t.app.request('/admin/api/openapi.json')).json()) as OpenApiDocument;
  });
  afterAll(() => rmSync(editorDir, { recursive: true, force: true }));

  it('documents every contract operation at its method, path and success status', () => {
    for (const [name, op] of Object.entries(operations)) {
      const documented = doc.paths[op.path]?.[op.method];
      expect(documented, `${name}: ${op.method} ${op.path}`).toBeDefined();
      expect(Object.keys(documented!.responses), name).toContain(String(op.status));
    }
  });

  it('declares the bearer token and the session cookie, and a 401 on every protected operation', () => {
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sy_session' }),
    });
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    let protectedCount = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (SESSION_PATHS.has(path)) {
          expect(operation.security, `${method} ${path}`).toEqual([]);
          continue;
        }
        protectedCount += 1;
        expect(operation.security, `${method} ${path}`).toEqual([{ bearer: [] }, { session: [] }]);
        expect(operation.responses['401']?.content?.['application/json']?.schema, `${method} ${path}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
    expect(protectedCount).toBeGreaterThan(20);
  });

  it('answers 401 unauthorized to every operation it documents as protected, and not to the public ones', async () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const res = await t.app.request(`/admin/api${concrete(path)}`, { method: method.toUpperCase() });
        const label = `${method} ${path}`;
        if (SESSION_PATHS.has(path)) {
          expect(res.status, label).not.toBe(401);
          continue;
        }
        expect(res.status, label).toBe(401);
        expect(ErrorBody.parse(await res.json()).error, label).toBe('unauthorized');
      }
    }
  });

  describe('an unknown admin path', () => {
    it.each(['GET', 'POST', 'PUT', 'DELETE'])('answers %s with a JSON 404, not the editor page', async (method) => {
      const res = await t.app.request('/admin/api/no-such-thing/here', { method, headers: bearer });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(ErrorBody.parse(await res.json())).toEqual({
        error: 'not_found',
        message: `no admin route ${method} /admin/api/no-such-thing/here`,
      });
    });

    it('is still 401 without credentials, and other paths still get the editor page', async () => {
      const res = await t.app.request('/admin/api/no-such-thing');
      expect(res.status).toBe(401);
      expect((await res.json()) as unknown).toMatchObject({ error: 'unauthorized' });
      const page = await t.app.request('/editor/workflows');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>editor</title>');
    });
  });

  describe('error answers carry a stable code', () => {
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      const body = ErrorBody.parse(await res.json());
      expect(body.error).toBe(code);
      expect(body.message).not.toBe('');
      return body;
    };

    it('invalid_request with issues naming the field', async () => {
      const body = await expectError(
        await t.admin('PUT', '/environments/editor/stripe', { webhookEnabled: 'yes', webhookPath: '/ok' }),
        400,
        'invalid_request',
      );
      expect(body.issues?.map((i) => i.path)).toEqual(['webhookEnabled']);
    });

    it.each([
      ['POST', '/workflows'],
      ['PUT', '/environments/editor/stripe'],
      ['POST', '/environments/editor/events/evt_any/replay'],
    ])('invalid_request, as JSON, for a body that is not JSON: %s %s', async (method, path) => {
      const res = await t.app.request(`/admin/api${path}`, {
        method,
        headers: { ...bearer, 'content-type': 'application/json' },
        body: '{ not json',
      });
      await expectError(res, 400, 'invalid_request');
    });

    it('path_taken when another environment owns the webhook path', async () => {
      const input = { webhookEnabled: true, webhookPath: '/contract/shared' };
      expect((await t.admin('PUT', '/environments/staging/stripe', input)).status).toBe(200);
      await expectError(await t.admin('PUT', '/environments/production/stripe', input), 409, 'path_taken');
    });

    it('invalid_workflow, with the issues, and not_found for a missing workflow, event or execution', async () => {
      const body = await expectError(
        await t.admin('POST', '/workflows', { name: 'broken', nodes: [{ id: 'x', type: 'no.such.node' }] }),
        400,
        'invalid_workflow',
      );
      expect(body.issues?.length).toBeGreaterThan(0);
      await expectError(await t.admin('GET', '/workflows/wf_missing'), 404, 'not_found');
      await expectError(await t.admin('GET', '/executions/ex_missing'), 404, 'not_found');
      await expectError(await t.admin('POST', '/environments/editor/events/evt_missing/replay', {}), 404, 'not_found');
    });

    it('invalid_request for a replay whose version is not a number, before anything runs', async () => {
      const created = await t.admin('POST', '/workflows', invoiceWorkflow('replay input'));
      const { id } = (await created.json()) as { id: string };
      await expectError(
        await t.admin('POST', '/environments/editor/events/evt_any/replay', { workflowId: id, version: 'one' }),
        400,
        'invalid_request',
      );
    });

    it('no_secret_key for a Stripe registration without a key', async () => {
      await expectError(await t.admin('POST', '/environments/editor/stripe/register', {}), 400, 'no_secret_key');
    });
  });
});
