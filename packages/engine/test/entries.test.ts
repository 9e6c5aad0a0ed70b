import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engine from '../src/index.js';
import { sampleEvent, sampleEvents, samplesForTrigger } from '../src/samples/index.js';
import * as testing from '../src/testing/index.js';
import { SAMPLE_EVENT_TYPES } from '../src/triggers/sample-types.js';
import { EVENTS_DIR, loadEvents } from './helpers.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(pkgDir, 'src');

/** Every file the module statically imports, transitively (relative specifiers only: packages are not ours). */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!).replace(/\.js$/, '.ts');
      visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('the main entry holds the language only', () => {
  const graph = [...importGraph(join(srcDir, 'index.ts'))].map((f) => f.slice(pkgDir.length));

  it('loads no sample payload and no test double', () => {
    expect(graph.length).toBeGreaterThan(10);
    expect(graph.filter((f) => f.startsWith('src/samples/') || f.startsWith('src/testing/'))).toEqual([]);
    expect(graph.filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('exports neither the samples nor the in-memory ports', () => {
    expect(Object.keys(engine)).not.toContain('createMemoryPorts');
    expect(Object.keys(engine).filter((k) => /sample/i.test(k))).toEqual([]);
    expect(typeof testing.createMemoryPorts).toBe('function');
  });

  it('maps every subpath of package.json to a source file and its build output', () => {
    const { exports } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    expect(Object.keys(exports).sort()).toEqual(['.', './environments', './samples', './testing']);
    for (const target of Object.values(exports)) {
      const source = target['switchyard-source']!;
      expect(existsSync(join(pkgDir, source))).toBe(true);
      const built = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js');
      expect(target.default).toBe(built);
      expect(target.types).toBe(built.replace(/\.js$/, '.d.ts'));
    }
  });
});

describe('samples entry', () => {
  const files = readdirSync(EVENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

  it('bundles exactly the fixtures, each under its own type', () => {
    expect(files.length).toBeGreaterThanOrEqual(29);
    expect(Object.keys(sampleEvents()).sort()).toEqual(files);
    for (const event of loadEvents()) expect(sampleEvent(event.type)).toEqual(event);
  });

  it('names the same types for the catalogue as it bundles', () => {
    expect([...SAMPLE_EVENT_TYPES].sort()).toEqual(files);
    for (const entry of engine.registryCatalog(engine.defaultRegistry)) {
      if (!entry.trigger) continue;
      expect(entry.trigger.sampleEventTypes.sort()).toEqual(
        samplesForTrigger(entry.type)
          .map((e) => e.type)
          .sort(),
      );
    }
  });

  it('picks the samples of one trigger family', () => {
    const invoices = samplesForTrigger('stripe.invoice').map((e) => e.type);
    expect(invoices).toContain('invoice.paid');
    expect(invoices.every((t) => t.startsWith('invoice.'))).toBe(true);
    // most specific family first: a subscription event is never a customer sample
    expect(samplesForTrigger('stripe.customer').map((e) => e.type)).not.toContain('customer.subscription.updated');
    expect(samplesForTrigger('not.a.trigger')).toEqual([]);
    expect(sampleEvent('no.such.type')).toBeUndefined();
  });
});
