import { z } from 'zod';
import { briefValue, defineNode, MAIN_OUTPUT } from '../../registry.js';
import { asText } from '../values.js';

export const logNode = defineNode({
  type: 'log',
  version: 1,
  category: 'logic',
  label: 'Log',
  description: 'Writes a message to the run log.',
  config: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    message: z.string().min(1, 'required').max(10_000),
    data: z.unknown().optional(),
  }),
  outputs: [MAIN_OUTPUT],
  icon: 'scroll-text',
  summary: (c) => briefValue(c.message) || '…',
  // The run log is the run's own record.
  externalEffects: false,
  ui: { fields: { message: { widget: 'multiline' }, data: { label: 'Data', widget: 'code', language: 'json' } } },
  async run({ config, ports, nodeId, event, redact }) {
    const message = asText(config.message, 'message', nodeId, { required: false });
    const entry = {
      level: config.level,
      message,
      nodeId,
      eventId: event.id,
      ...(config.data !== undefined ? { data: config.data } : {}),
    };
    // The run log is stored and printed: it gets the secrets' masks, like the step records.
    await ports.log(redact ? redact(entry) : entry);
    return { output: { level: config.level, message } };
  },
});
