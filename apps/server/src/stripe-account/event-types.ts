import { TRIGGER_FAMILIES, triggerEventTypes, triggerOfSelection } from '@switchyard/engine';

/** Stripe accepts at most this many `types[]` in one `GET /v1/events`. */
export const MAX_TYPES_PER_LIST = 20;

/** Every catalogue type of the trigger families: what an endpoint gets while no workflow is deployed. */
export function allTriggerEventTypes(): string[] {
  return sortedUnique(TRIGGER_FAMILIES.flatMap((f) => triggerEventTypes({ type: f.nodeType })));
}

/**
 * The union of the types the deployed, not paused, triggers need: a family's types (its selected actions), or a
 * generic trigger's patterns expanded against stripe-node's catalogue (`payout.*` → every `payout.…` it lists).
 * Stripe requires at least one enabled event, so an environment with nothing running gets every type of the
 * families: deliveries are stored in the inbox (visible in the event list) and match as soon as a workflow is
 * deployed or resumed.
 */
export function neededEventTypes(
  triggers: { triggerType: string; triggerActions: string[]; enabled?: boolean }[],
): string[] {
  const types = triggers
    .filter((t) => t.enabled !== false)
    .flatMap((t) => triggerEventTypes(triggerOfSelection(t.triggerType, t.triggerActions)));
  return types.length > 0 ? sortedUnique(types) : allTriggerEventTypes();
}

export function sameTypes(a: readonly string[] | null | undefined, b: readonly string[]): boolean {
  if (!a || a.length !== b.length) return false;
  const sa = sortedUnique(a);
  return sa.length === b.length && sa.every((t, i) => t === b[i]);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sortedUnique(types: readonly string[]): string[] {
  return [...new Set(types)].sort();
}
