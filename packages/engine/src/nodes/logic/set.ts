import { z } from 'zod';
import { defineNode, MAIN_OUTPUT } from '../../registry.js';

export const setNode = defineNode({
  type: 'set',
  version: 1,
  category: 'logic',
  label: 'Set values',
  description: 'Names values for later nodes: context.steps.<this node id>.<name>.',
  config: z.object({
    values: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name: letters, digits and _'), z.unknown()),
  }),
  outputs: [MAIN_OUTPUT],
  icon: 'variable',
  summary: (c) => Object.keys((c.values as object | undefined) ?? {}).join(', ') || 'no values',
  externalEffects: false,
  run({ config }) {
    return { output: config.values };
  },
});
