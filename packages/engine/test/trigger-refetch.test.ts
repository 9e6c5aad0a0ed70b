import { describe, expect, it } from 'vitest';
import {
  defaultRegistry,
  TriggerConfigSchema,
  triggerEventTypes,
  triggerMatches,
  validateWorkflow,
} from '../src/index.js';

const registry = defaultRegistry;

describe('trigger refetch option', () => {
  it('defaults to false and accepts true', () => {
    expect(TriggerConfigSchema.parse({})).toEqual({ actions: [], refetch: false });
    expect(TriggerConfigSchema.parse({ actions: ['paid'], refetch: true })).toEqual({
      actions: ['paid'],
      refetch: true,
    });
    expect(TriggerConfigSchema.safeParse({ refetch: 'yes' }).success).toBe(false);
  });

  it('is described for the editor form and does not change matching', () => {
    const schema = TriggerConfigSchema.toJSONSchema() as {
      properties: Record<string, { description?: string; default?: unknown }>;
    };
    expect(schema.properties.refetch?.description).toMatch(/latest object from Stripe/);
    expect(schema.properties.refetch?.default).toBe(false);
    const trigger = { type: 'stripe.invoice', config: { actions: ['paid'], refetch: true } };
    expect(triggerMatches(trigger, 'invoice.paid')).toBe(true);
    expect(triggerEventTypes(trigger)).toEqual(['invoice.paid']);
  });

  it('is kept in a validated workflow', () => {
    const result = validateWorkflow(
      {
        name: 'refetch',
        nodes: [{ id: 'trigger', type: 'stripe.invoice', config: { refetch: true }, position: { x: 0, y: 0 } }],
        edges: [],
      },
      { registry },
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.workflow.nodes[0]!.config).toMatchObject({ refetch: true, actions: [] });
  });
});
