import { z } from 'zod';
import { briefValue, defineNode, MAIN_OUTPUT } from '../../registry.js';
import { isTruthy } from '../values.js';

export const filterNode = defineNode({
  type: 'filter',
  version: 1,
  category: 'logic',
  label: 'Filter',
  description:
    'Continues only when the condition is truthy; otherwise this path ends quietly (the run still succeeds).',
  config: z.object({
    condition: z.union([z.string(), z.boolean()]).describe('e.g. {{ context.event.livemode }}'),
  }),
  outputs: [MAIN_OUTPUT],
  icon: 'filter',
  summary: (c) => briefValue(c.condition) || 'no condition',
  externalEffects: false,
  ui: { fields: { condition: { label: 'Condition', widget: 'condition' } } },
  run({ config }) {
    const passed = isTruthy(config.condition);
    return { output: { passed }, handles: passed ? [MAIN_OUTPUT] : [] };
  },
});
