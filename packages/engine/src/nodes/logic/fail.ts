import { z } from 'zod';
import { WorkflowFailError } from '../../errors.js';
import { briefValue, defineNode } from '../../registry.js';
import { asText } from '../values.js';

export const failNode = defineNode({
  type: 'fail',
  version: 1,
  category: 'logic',
  label: 'Fail',
  description: 'Stops the run as failed with a message.',
  config: z.object({
    message: z.string().min(1, 'required').max(2_000),
  }),
  outputs: [],
  icon: 'octagon-x',
  summary: (c) => briefValue(c.message) || '…',
  externalEffects: false,
  ui: { fields: { message: { widget: 'multiline' } } },
  run({ config, nodeId }) {
    throw new WorkflowFailError(asText(config.message, 'message', nodeId, { required: false }) || 'failed');
  },
});
