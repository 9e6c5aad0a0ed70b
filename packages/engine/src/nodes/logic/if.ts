import { z } from 'zod';
import { briefValue, defineNode } from '../../registry.js';
import { isTruthy } from '../values.js';

export const ifNode = defineNode({
  type: 'if',
  version: 1,
  category: 'logic',
  label: 'If',
  description: 'Follows `true` when the condition is truthy, `false` otherwise.',
  config: z.object({
    condition: z.union([z.string(), z.boolean()]).describe('e.g. {{ context.event.object.amount_paid > 0 }}'),
  }),
  outputs: ['true', 'false'],
  icon: 'git-branch',
  summary: (c) => briefValue(c.condition) || 'no condition',
  externalEffects: false,
  ui: { fields: { condition: { label: 'Condition', widget: 'condition' } } },
  run({ config }) {
    const result = isTruthy(config.condition);
    return { output: { result }, handles: [result ? 'true' : 'false'] };
  },
});
