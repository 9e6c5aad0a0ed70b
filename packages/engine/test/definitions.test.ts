import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createRegistry,
  defaultRegistry,
  defineNode,
  draftOutputsOf,
  MAIN_OUTPUT,
  NODE_CATEGORIES,
  runWorkflow,
  validateWorkflow,
} from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { loadEvent } from './helpers.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('built-in node definitions', () => {
  const defs = defaultRegistry.types().map((t) => defaultRegistry.get(t)!);

  it('each carries an icon, a summary and the external-effects flag', () => {
    expect(defs.length).toBeGreaterThan(20);
    for (const def of defs) {
      expect(def.icon, def.type).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(typeof def.externalEffects, def.type).toBe('boolean');
      // A freshly added node (initial config, or nothing) still summarises to something readable.
      const summary = def.summary(def.initialConfig ?? {});
      expect(typeof summary, def.type).toBe('string');
      expect(summary.length, def.type).toBeGreaterThan(0);
      expect(
        NODE_CATEGORIES.map((c) => c.id),
        def.type,
      ).toContain(def.category);
    }
  });

  it('flags exactly the nodes that act outside the run for eager step persistence', () => {
    const eager = defs.filter((d) => d.externalEffects).map((d) => d.type);
    expect(eager.sort()).toEqual(['email.send', 'http.request', 'stripe.request']);
    for (const t of ['table.upsert', 'table.insert', 'table.update', 'table.delete', 'table.query'])
      expect(defaultRegistry.get(t)!.externalEffects).toBe(false);
  });

  it('summarise a configured node in one line', () => {
    const summary = (type: string, config: Record<string, unknown>) => defaultRegistry.get(type)!.summary(config);
    expect(summary('http.request', { method: 'PUT', url: '{{ context.vars.HOOK }}' })).toBe('PUT vars.HOOK');
    expect(summary('switch', { value: '{{ context.event.action }}' })).toBe('on event.action');
    expect(summary('table.upsert', { table: 'orders', key: '{{ context.event.object.id }}' })).toBe(
      'orders · event.object.id',
    );
    expect(summary('stripe.invoice', { actions: ['paid', 'voided'] })).toBe('paid, voided');
    expect(summary('stripe.invoice', {})).toBe('every action');
  });

  it('put their presets, icons, field hints and scope into the catalogue', () => {
    const cat = new Map(defaultRegistry.catalog().map((e) => [e.type, e]));
    expect(cat.get('switch')!.initialConfig).toEqual({ value: '{{ context.event.action }}', cases: [] });
    expect(cat.get('http.request')!.icon).toBe('globe');
    expect(cat.get('http.request')!.externalEffects).toBe(true);
    expect(cat.get('email.send')!.ui?.fields?.html).toMatchObject({ widget: 'code', language: 'html' });
    expect(cat.get('loop')!.scope).toEqual({ each: 'each', done: 'done' });
    expect(cat.get('if')!.scope).toBeUndefined();
  });

  it('give the outputs of a switch still being edited', () => {
    const sw = defaultRegistry.get('switch')!;
    // The second case has no condition yet, so the config does not parse.
    expect(draftOutputsOf(sw, { value: 'x', cases: [{ id: 'paid', equals: 'paid' }, { id: 'gone' }] })).toEqual([
      'paid',
      'gone',
      'default',
    ]);
    expect(draftOutputsOf(defaultRegistry.get('if')!, {})).toEqual(['true', 'false']);
  });
});

/** A node type the engine has never heard of that opens a scope: runs its body `times` times. */
const repeatNode = defineNode({
  type: 'test.repeat',
  version: 1,
  category: 'logic',
  label: 'Repeat',
  description: 'Runs `per` once per count, then `after`.',
  config: z.object({ times: z.number().int().min(0).max(10) }),
  outputs: ['per', 'after'],
  scope: { each: 'per', done: 'after', items: (output) => (output as { rounds: number[] }).rounds },
  icon: 'repeat-2',
  summary: (c) => `${String(c.times ?? '…')} times`,
  externalEffects: false,
  run: ({ config }) => ({ output: { rounds: Array.from({ length: config.times }, (_, i) => i + 1) } }),
});

describe('a scope through the generic definition property', () => {
  const registry = createRegistry().register(repeatNode);
  const event = loadEvent('invoice.paid');
  const doc = {
    name: 'repeat',
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: {} },
      { id: 'again', type: 'test.repeat', config: { times: 3 } },
      { id: 'say', type: 'log', config: { message: 'round {{ context.item }} at {{ context.index }}' } },
      { id: 'end', type: 'log', config: { message: 'finished' } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'again' },
      { id: 'e2', source: 'again', sourceHandle: 'per', target: 'say' },
      { id: 'e3', source: 'again', sourceHandle: 'after', target: 'end' },
    ],
  };

  it('runs the body once per item, then the done output, and replays from the memo', async () => {
    const ports = createMemoryPorts();
    const r = await runWorkflow({ workflow: doc, event, ports, registry });
    expect(r.status).toBe('succeeded');
    expect(r.steps.map((s) => s.stepKey)).toEqual(['trigger', 'again', 'say[0]', 'say[1]', 'say[2]', 'end']);
    expect(ports.logs.map((l) => l.message)).toEqual(['round 1 at 0', 'round 2 at 1', 'round 3 at 2', 'finished']);

    const again = await runWorkflow({ workflow: doc, event, ports, registry, memo: r.steps });
    expect(again.status).toBe('succeeded');
    expect(again.executed).toEqual([]);
    expect(again.steps.map((s) => s.stepKey)).toEqual(r.steps.map((s) => s.stepKey));
  });

  it('lets the body be entered only through its each output', () => {
    const bad = { ...doc, edges: [...doc.edges, { id: 'e4', source: 'trigger', target: 'say' }] };
    const v = validateWorkflow(bad, { registry });
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.errors.map((e) => e.text)).toContain(
        'edges[e4].target: "say" is inside the body of repeat "again" and can only be reached through its per output',
      );
  });

  it('is unknown to a registry it was not registered in', () => {
    const v = validateWorkflow(doc, { registry: defaultRegistry });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors[0]!.text).toBe('nodes[again].type: unknown node type "test.repeat"');
  });
});

describe('registering a definition', () => {
  const base = {
    type: 'test.node',
    version: 1,
    category: 'logic' as const,
    label: 'Test',
    description: 'A test node.',
    config: z.object({ body: z.string(), cases: z.array(z.object({ pattern: z.string() })).default([]) }),
    outputs: [MAIN_OUTPUT],
    icon: 'box',
    summary: () => 'test',
    externalEffects: false,
    run: () => ({ output: null }),
  };

  it('accepts field hints for fields and list item fields of the schema', () => {
    const def = defineNode({
      ...base,
      ui: { fields: { body: { widget: 'code' }, 'cases.pattern': { widget: 'code' } } },
    });
    expect(() => createRegistry().register(def)).not.toThrow();
  });

  it('refuses an inconsistent definition with a message naming it', () => {
    const reg = () => createRegistry();
    expect(() => reg().register(defineNode({ ...base, icon: 'Git Branch' }))).toThrow(
      'node test.node v1: icon must be a lucide icon name',
    );
    expect(() => reg().register(defineNode({ ...base, ui: { fields: { bdy: { widget: 'code' } } } }))).toThrow(
      'ui hint for "bdy", which is not a config field',
    );
    expect(() =>
      reg().register(defineNode({ ...base, ui: { fields: { 'cases.pattern': { with: 'flagz' } } } })),
    ).toThrow('ui hint for "cases.pattern" names "flagz", which is not a field beside it');
    expect(() =>
      reg().register(
        defineNode({ ...base, ui: { fields: { body: { idFrom: { fields: ['pattern'], fallback: 'x' } } } } }),
      ),
    ).toThrow('ui hint for "body" names "pattern", which is not a field beside it');
    expect(() =>
      reg().register(defineNode({ ...base, scope: { each: 'each', done: MAIN_OUTPUT, items: () => [] } })),
    ).toThrow('scope output "each" is not one of its static outputs');
    const registry = reg();
    expect(() => registry.register(defineNode({ ...base, icon: 'Bad' }))).toThrow();
    expect(registry.get('test.node')).toBeUndefined();
    expect(registry.latestVersion('test.node')).toBeUndefined();
  });
});

describe('the composition root', () => {
  it('is the only engine module that imports the built-in nodes', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const importers = files(SRC)
      .filter((f) => /from '(\.\.?\/)+builtins\.js'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(importers).toEqual(['index.ts']);
  });
});
