import { z } from 'zod';
import { defineNode } from '../../registry.js';
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
  run({ config }) {
    const result = isTruthy(config.condition);
    return { output: { result }, handles: [result ? 'true' : 'false'] };
  },
});
