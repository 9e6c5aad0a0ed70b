/**
 * One trigger node type per Stripe family, whose config lists the actions it fires on (empty = all), and the
 * generic `stripe.event`, whose config lists event types and wildcards.
 */
import { z } from 'zod';
import { type AnyNodeDefinition, defineNode, MAIN_OUTPUT } from '../registry.js';
import {
  ANY_EVENT_TRIGGER,
  actionOf,
  familyByNodeType,
  familyOf,
  TRIGGER_FAMILIES,
  type TriggerFamily,
} from './families.js';
import { EVENT_TYPE_CATALOGUE, expandPatterns, isWildcard, patternMatches, patternProblem } from './patterns.js';

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
    description: `Starts on Stripe ${[...(f.exactTypes ?? [`${f.prefix}*`]), ...f.extraTypes].join(', ')} events.`,
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

export const AnyEventTriggerConfigSchema = z.object({
  types: z
    .array(
      z
        .string()
        .max(200)
        .superRefine((pattern, ctx) => {
          const problem = patternProblem(pattern);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .min(1, 'choose at least one event type, e.g. "payout.paid", or a wildcard such as "payout.*"')
    .max(300)
    .describe('Stripe event types to fire on: exact types such as payout.paid, or wildcards such as payout.*'),
});

export type AnyEventTriggerConfig = z.output<typeof AnyEventTriggerConfigSchema>;

export const anyEventTriggerNode: AnyNodeDefinition = defineNode({
  type: ANY_EVENT_TRIGGER,
  version: 1,
  category: 'trigger',
  label: 'On any Stripe event',
  description:
    'Starts on the Stripe event types you choose, of any kind (payouts, disputes, invoice payments, …); context.event.action is the last part of the type.',
  config: AnyEventTriggerConfigSchema,
  outputs: [MAIN_OUTPUT],
  resolveTemplates: false,
  icon: 'zap',
  summary: (c) => (Array.isArray(c.types) && c.types.length ? c.types.join(', ') : 'no event types chosen'),
  externalEffects: false,
  initialConfig: { types: [] },
  ui: { fields: { types: { widget: 'event-types' } } },
  run({ event }) {
    return { output: { eventId: event.id, type: event.type, action: event.action } };
  },
});

export const TRIGGER_NODES: readonly AnyNodeDefinition[] = [
  ...TRIGGER_FAMILIES.map(triggerNodeFor),
  anyEventTriggerNode,
];

/**
 * A stored trigger's patterns without re-checking them against the catalogue: a type that left stripe-node's
 * list after the workflow was saved must not stop it from matching what Stripe still sends.
 */
function storedPatterns(config: unknown): string[] {
  const types = (config as { types?: unknown } | null | undefined)?.types;
  return Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Whether a trigger (given as a node `{ type, config }` or its node type and
 * config) fires on a Stripe event type: exact family membership, then the
 * configured actions (empty = all).
 */
export function triggerMatches(trigger: { type: string; config?: unknown }, eventType: string): boolean {
  if (trigger.type === ANY_EVENT_TRIGGER)
    return storedPatterns(trigger.config).some((p) => patternMatches(p, eventType));
  const fam = familyByNodeType(trigger.type);
  if (!fam || familyOf(eventType) !== fam) return false;
  const parsed = TriggerConfigSchema.safeParse(trigger.config ?? {});
  if (!parsed.success) return false;
  const actions = parsed.data.actions;
  return actions.length === 0 || actions.includes(actionOf(eventType));
}

/**
 * The Stripe event types a trigger needs enabled on the webhook endpoint (for the server's register call and
 * reconcile's filter), from the catalogue: no action filter means every type of the family stripe-node lists.
 */
export function triggerEventTypes(trigger: { type: string; config?: unknown }): string[] {
  if (trigger.type === ANY_EVENT_TRIGGER) return expandPatterns(storedPatterns(trigger.config));
  if (!familyByNodeType(trigger.type)) return [];
  return EVENT_TYPE_CATALOGUE.filter((type) => triggerMatches(trigger, type));
}

/**
 * What a deployment keeps of its trigger beside the node type, so ingest can match in SQL: a family's actions,
 * or the generic trigger's patterns. `triggerOfSelection` turns it back into a trigger for `triggerMatches`.
 */
export function triggerSelection(trigger: { type: string; config?: unknown }): string[] {
  if (trigger.type === ANY_EVENT_TRIGGER) return storedPatterns(trigger.config);
  const actions = (trigger.config as { actions?: unknown } | null | undefined)?.actions;
  return Array.isArray(actions) ? actions.map(String) : [];
}

export function triggerOfSelection(type: string, selection: readonly string[]): { type: string; config: unknown } {
  return { type, config: type === ANY_EVENT_TRIGGER ? { types: [...selection] } : { actions: [...selection] } };
}

/**
 * Why a trigger does not fire on an event type, for the event page: `other trigger` when it listens to other
 * kinds of events, `action not selected` when it listens to this kind but not this action (a family trigger
 * with an action filter, or a generic one with another type of the same object, e.g. `payout.paid` for
 * `payout.failed`); undefined when it fires.
 */
export function triggerMismatch(
  trigger: { type: string; config?: unknown },
  eventType: string,
): 'other trigger' | 'action not selected' | undefined {
  if (triggerMatches(trigger, eventType)) return undefined;
  if (trigger.type === ANY_EVENT_TRIGGER) {
    const kindOf = (type: string) => type.slice(0, type.lastIndexOf('.') + 1);
    const kind = kindOf(eventType);
    const sameKind = kind !== '' && storedPatterns(trigger.config).some((p) => !isWildcard(p) && kindOf(p) === kind);
    return sameKind ? 'action not selected' : 'other trigger';
  }
  return familyOf(eventType)?.nodeType === trigger.type ? 'action not selected' : 'other trigger';
}
