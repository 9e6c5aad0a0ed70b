import { describe, expect, it } from 'vitest';
import {
  actionOf,
  buildEventContext,
  defaultRegistry,
  familyOf,
  renderTemplate,
  runWorkflow,
  triggerEventTypes,
  triggerMatches,
} from '../src/index.js';
import { sampleEvent } from '../src/samples/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const registry = defaultRegistry;

// Names every plain object inherits; an event type or action made of them must stay plain text.
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const eventOfType = (type: string) => ({ ...loadEvent('invoice.paid'), type });

describe('keys derived from an event never resolve to Object.prototype', () => {
  it('actionOf and familyOf', () => {
    for (const name of INHERITED) {
      expect(actionOf(`invoice.${name}`)).toBe(name);
      expect(actionOf(`payment_intent.${name}`)).toBe(name);
      expect(familyOf(name)).toBeUndefined();
      expect(buildEventContext(eventOfType(`invoice.${name}`)).action).toBe(name);
    }
    expect(actionOf('payment_intent.payment_failed')).toBe('failed');
  });

  it('trigger matching and the event types a trigger needs', () => {
    expect(triggerMatches({ type: 'stripe.invoice', config: { actions: ['paid'] } }, 'invoice.constructor')).toBe(
      false,
    );
    expect(
      triggerMatches({ type: 'stripe.invoice', config: { actions: ['constructor'] } }, 'invoice.constructor'),
    ).toBe(true);
    // Only types stripe-node lists: Stripe refuses any other on an endpoint.
    expect(
      triggerEventTypes({ type: 'stripe.payment_intent', config: { actions: ['constructor', 'failed'] } }),
    ).toEqual(['payment_intent.payment_failed']);
    for (const name of INHERITED) {
      expect(triggerMatches({ type: 'stripe.event', config: { types: ['payout.*'] } }, name)).toBe(false);
      expect(triggerEventTypes({ type: 'stripe.event', config: { types: [`${name}.*`, name] } })).toEqual([]);
    }
  });

  it('sample events', () => {
    for (const name of INHERITED) expect(sampleEvent(name)).toBeUndefined();
    expect(sampleEvent('invoice.paid')?.type).toBe('invoice.paid');
  });

  it('a run on such a type records the action as text', async () => {
    const workflow = chain('stripe.invoice', [
      {
        id: 'route',
        type: 'switch',
        config: { value: '{{ context.event.action }}', cases: [{ id: 'paid', equals: 'paid' }] },
      },
    ]);
    const r = await runWorkflow({
      registry,
      workflow,
      event: eventOfType('invoice.constructor'),
      ports: createMemoryPorts(),
    });
    expect(r.status).toBe('succeeded');
    expect(r.steps.find((s) => s.nodeId === 'route')?.output).toEqual({ value: 'constructor', case: 'default' });
  });

  it('an own "__proto__" key in a payload stays a key, not a prototype', async () => {
    const object = JSON.parse('{"id": "in_1", "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const scope = { context: { event: { object } } };
    const copy = (await renderTemplate('{{ context.event.object }}', scope, { field: 'f' })) as Record<string, unknown>;
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(copy.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"id":"in_1","__proto__":{"polluted":true}}');
  });
});
