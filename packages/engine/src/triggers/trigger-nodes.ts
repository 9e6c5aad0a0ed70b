/** One trigger node type per Stripe family; config lists the actions it fires on (empty = all). */
import { z } from 'zod';
import { type AnyNodeDefinition, defineNode, MAIN_OUTPUT } from '../registry.js';
import { actionOf, familyByNodeType, familyOf, TRIGGER_FAMILIES, type TriggerFamily } from './families.js';

export const TriggerConfigSchema = z.object({
  actions: z
    .array(z.string().min(1).max(100))
    .max(100)
    .default([])
    .describe('Actions to fire on; empty means every action of this family'),
  refetch: z
    .boolean()
    .default(false)
    .describe(
      "Use the latest object from Stripe: re-read the event's object through the API before the run, instead of the snapshot the event carries",
    ),
});

export type TriggerConfig = z.output<typeof TriggerConfigSchema>;

function triggerNodeFor(f: TriggerFamily): AnyNodeDefinition {
  return defineNode({
    type: f.nodeType,
    version: 1,
    category: 'trigger',
    label: f.label,
    description: `Starts on Stripe ${f.exactTypes ? f.exactTypes.join(', ') : `${f.prefix}*`} events.`,
    config: TriggerConfigSchema,
    outputs: [MAIN_OUTPUT],
    resolveTemplates: false,
    icon: 'zap',
    summary: (c) => (Array.isArray(c.actions) && c.actions.length ? c.actions.join(', ') : 'every action'),
    externalEffects: false,
    initialConfig: { actions: [] },
    run({ event }) {
      return { output: { eventId: event.id, type: event.type, action: event.action } };
    },
  });
}

export const TRIGGER_NODES: readonly AnyNodeDefinition[] = TRIGGER_FAMILIES.map(triggerNodeFor);

/**
 * Whether a trigger (given as a node `{ type, config }` or its node type and
 * config) fires on a Stripe event type: exact family membership, then the
 * configured actions (empty = all).
 */
export function triggerMatches(trigger: { type: string; config?: unknown }, eventType: string): boolean {
  const fam = familyByNodeType(trigger.type);
  if (!fam || familyOf(eventType) !== fam) return false;
  const parsed = TriggerConfigSchema.safeParse(trigger.config ?? {});
  if (!parsed.success) return false;
  const actions = parsed.data.actions;
  return actions.length === 0 || actions.includes(actionOf(eventType));
}

/**
 * The Stripe event types a trigger needs enabled on the webhook endpoint
 * (for the server's register call). No action filter means every action in the catalogue.
 */
export function triggerEventTypes(trigger: { type: string; config?: unknown }): string[] {
  const fam = familyByNodeType(trigger.type);
  if (!fam) return [];
  const parsed = TriggerConfigSchema.safeParse(trigger.config ?? {});
  const actions = parsed.success ? parsed.data.actions : [];
  const chosen = actions.length
    ? actions
    : fam.exactTypes
      ? fam.exactTypes.map((t) => t.slice(fam.prefix.length))
      : fam.actions;
  const reverseAlias = new Map(Object.entries(fam.actionAliases).map(([k, v]) => [v, k]));
  return chosen.map((a) => fam.prefix + (reverseAlias.get(a) ?? a));
}
