import { z } from 'zod';
import { NonRetriableError } from '../../errors.js';
import { hasTemplate } from '../../expressions.js';
import { LinearRegExp, regexProblem } from '../../regex.js';
import { briefValue, defineNode } from '../../registry.js';
import { isTruthy, looselyEqual } from '../values.js';

export const HandleIdSchema = z
  .string()
  .min(1, 'required')
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

const CONDITIONS = ['equals', 'in', 'matches', 'expression'] as const;

export const SwitchCaseSchema = z
  .object({
    id: HandleIdSchema.describe('Output handle of this case'),
    label: z.string().max(200).optional(),
    equals: z.unknown().optional().describe('Matches when the value equals this'),
    in: z.array(z.unknown()).max(500).optional().describe('Matches when the value equals one of these'),
    matches: z.string().max(256).optional().describe('Regular expression tested against the value'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'only i, m, s, u')
      .optional(),
    expression: z.string().optional().describe('Matches when this {{ }} expression is truthy'),
  })
  .superRefine((c, ctx) => {
    const given = CONDITIONS.filter((k) => c[k] !== undefined);
    if (given.length === 0) ctx.addIssue({ code: 'custom', path: ['equals'], message: 'required' });
    if (given.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [given[1]!],
        message: `only one of equals, in, matches, expression (also has ${given[0]})`,
      });
    if (c.id === 'default')
      ctx.addIssue({ code: 'custom', path: ['id'], message: '"default" is reserved for the default output' });
    // A pattern built by a {{ }} template is known only when the node runs.
    if (c.matches !== undefined && !hasTemplate(c.matches)) {
      const problem = regexProblem(c.matches, c.flags);
      if (problem) ctx.addIssue({ code: 'custom', path: ['matches'], message: problem });
    }
  });

export const SwitchConfigSchema = z
  .object({
    value: z.unknown().describe('Value to route on, usually {{ context.event.action }}'),
    cases: z.array(SwitchCaseSchema).max(100),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.cases.forEach((k, i) => {
      if (seen.has(k.id))
        ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate case id "${k.id}"` });
      seen.add(k.id);
    });
  });

export const switchNode = defineNode({
  type: 'switch',
  version: 1,
  category: 'logic',
  label: 'Switch',
  description: 'Routes to the first case that matches the value; otherwise to default.',
  config: SwitchConfigSchema,
  outputs: (config) => [...config.cases.map((c) => c.id), 'default'],
  outputsDescription: 'one per case id, then default',
  fixedOutputs: ['default'],
  draftOutputs: (config) => {
    const cases = Array.isArray(config.cases) ? (config.cases as unknown[]) : [];
    const ids = cases.map((c) => (c && typeof c === 'object' ? String((c as { id?: unknown }).id ?? '') : ''));
    return [...new Set(ids.filter((id) => id !== '' && id !== 'default')), 'default'];
  },
  icon: 'split',
  summary: (c) => `on ${briefValue(c.value) || '…'}`,
  externalEffects: false,
  initialConfig: { value: '{{ context.event.action }}', cases: [] },
  ui: {
    fields: {
      value: { label: 'Value to route on', widget: 'expression' },
      cases: { label: 'Cases' },
      'cases.id': {
        label: 'Output name',
        idFrom: { fields: ['equals', 'in', 'matches'], fallback: 'case' },
        missing: 'needs an output name',
      },
      'cases.label': { label: 'Label', advanced: true },
      'cases.equals': {
        label: 'equals',
        oneOf: 'Condition',
        placeholder: 'completed',
        missing: 'needs a value to compare with',
      },
      'cases.in': { label: 'is one of', oneOf: 'Condition', missing: 'needs at least one value' },
      'cases.matches': { label: 'matches pattern', oneOf: 'Condition', placeholder: '^invoice\\.' },
      'cases.flags': { label: 'Pattern flags', with: 'matches', placeholder: 'i' },
      'cases.expression': {
        label: 'expression is true',
        oneOf: 'Condition',
        widget: 'expression',
        placeholder: '{{ context.event.object.amount > 1000 }}',
      },
    },
  },
  run({ config, nodeId }) {
    const value = config.value;
    for (const [i, c] of config.cases.entries()) {
      if (caseMatches(c, value, `cases[${i}]`, nodeId))
        return { output: { value, case: c.id }, handles: [c.id as string] };
    }
    return { output: { value, case: 'default' }, handles: ['default'] };
  },
});

function caseMatches(
  c: { equals?: unknown; in?: unknown[]; matches?: unknown; flags?: unknown; expression?: unknown },
  value: unknown,
  field: string,
  nodeId: string,
): boolean {
  if (c.expression !== undefined) return isTruthy(c.expression);
  if (c.in !== undefined) return c.in.some((v) => looselyEqual(value, v));
  if (c.matches !== undefined) {
    if (value === undefined || value === null || typeof value === 'object') return false;
    try {
      return new LinearRegExp(String(c.matches), typeof c.flags === 'string' ? c.flags : '').test(String(value));
    } catch (err) {
      throw new NonRetriableError(`nodes[${nodeId}].config.${field}.matches: ${(err as Error).message}`);
    }
  }
  return looselyEqual(value, c.equals);
}
