import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engine from '../src/index.js';
import { sampleEvent, sampleEvents, samplesForTrigger } from '../src/samples/index.js';
import * as testing from '../src/testing/index.js';
import { RECORDED_SAMPLE_TYPES, SAMPLE_EVENT_TYPES, SAMPLE_RESOURCES } from '../src/triggers/sample-types.js';
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
    expect(graph.filter((f) => /^src\/(samples|templates|testing)\//.test(f))).toEqual([]);
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
    expect(Object.keys(exports).sort()).toEqual(['.', './environments', './samples', './templates', './testing']);
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

  it('serves every recorded event under its own type, and a built one for the other types', () => {
    expect(files.length).toBeGreaterThanOrEqual(29);
    for (const event of loadEvents()) expect(sampleEvent(event.type)).toEqual(event);
    const all = sampleEvents();
    expect(Object.keys(all).sort()).toEqual([...SAMPLE_EVENT_TYPES].sort());
    for (const [type, event] of Object.entries(all)) {
      expect(event.type).toBe(type);
      expect(event.id).toMatch(/^evt_[A-Za-z0-9_]+$/);
      expect((event.data as { object?: unknown }).object, type).toBeTypeOf('object');
    }
  });

  it('names the same recorded types and resources as the fixtures hold', () => {
    expect([...RECORDED_SAMPLE_TYPES].sort()).toEqual(files);
    const resources = JSON.parse(readFileSync(join(pkgDir, 'fixtures/stripe-openapi-fixtures3.json'), 'utf8')) as {
      resources: Record<string, unknown>;
    };
    expect([...SAMPLE_RESOURCES].sort()).toEqual(Object.keys(resources.resources).sort());
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
    const disputes = samplesForTrigger('stripe.dispute');
    expect(disputes.map((e) => e.type).sort()).toEqual([
      'charge.dispute.closed',
      'charge.dispute.created',
      'charge.dispute.funds_reinstated',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.updated',
    ]);
    expect(disputes.map((e) => (e.data as { object: { object: string } }).object.object)).toEqual(
      Array(5).fill('dispute'),
    );
    expect(samplesForTrigger('stripe.refund').map((e) => e.type)).toEqual([
      'charge.refund.updated',
      'refund.created',
      'refund.failed',
      'refund.updated',
    ]);
    expect(sampleEvent('no.such.type')).toBeUndefined();
  });
});

describe("the generic trigger's samples", () => {
  it('follow its types, built from the resource sample objects', () => {
    const payouts = samplesForTrigger('stripe.event', { types: ['payout.*', 'invoice_payment.paid'] });
    expect(payouts.map((e) => e.type)).toEqual([
      'invoice_payment.paid',
      'payout.canceled',
      'payout.created',
      'payout.failed',
      'payout.paid',
      'payout.reconciliation_completed',
      'payout.updated',
    ]);
    const paid = sampleEvent('payout.paid')!;
    expect(paid).toMatchObject({ object: 'event', type: 'payout.paid', livemode: false });
    expect((paid.data as { object: { object: string; id: string } }).object).toMatchObject({ object: 'payout' });
    expect(engine.buildEventContext(paid)).toMatchObject({ type: 'payout.paid', action: 'paid' });
  });

  it('offers every sample while no type is chosen, and none for types without a sample object', () => {
    expect(samplesForTrigger('stripe.event').length).toBe(SAMPLE_EVENT_TYPES.length);
    expect(samplesForTrigger('stripe.event', { types: [] }).length).toBe(SAMPLE_EVENT_TYPES.length);
    expect(sampleEvent('apps.install.created')).toBeUndefined();
  });
});
