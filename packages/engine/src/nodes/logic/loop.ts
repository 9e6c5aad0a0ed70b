import { z } from 'zod';
import { NonRetriableError } from '../../errors.js';
import { briefValue, defineNode } from '../../registry.js';

export const LOOP_EACH = 'each';
export const LOOP_DONE = 'done';

export const loopNode = defineNode({
  type: 'loop',
  version: 1,
  category: 'logic',
  label: 'Loop',
  description: 'Runs the nodes after `each` once per item (with context.item and context.index), then follows `done`.',
  config: z.object({
    items: z.unknown().describe('An array, e.g. {{ context.event.object.lines.data }}'),
  }),
  outputs: [LOOP_EACH, LOOP_DONE],
  // The interpreter runs `each` per item and then `done`.
  scope: { each: LOOP_EACH, done: LOOP_DONE, items: (output) => (output as { items: unknown[] }).items },
  icon: 'repeat',
  summary: (c) => `each of ${briefValue(c.items) || '…'}`,
  externalEffects: false,
  ui: {
    fields: { items: { label: 'Items', widget: 'expression', placeholder: '{{ context.event.object.lines.data }}' } },
  },
  run({ config, nodeId }) {
    const items = config.items ?? [];
    if (!Array.isArray(items)) {
      throw new NonRetriableError(`nodes[${nodeId}].config.items: expected an array, got ${typeof items}`);
    }
    return { output: { count: items.length, items }, handles: [] };
  },
});
