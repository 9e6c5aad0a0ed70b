import { TRIGGER_NODES, triggerEventTypes } from '@switchyard/engine';

/** Stripe accepts at most this many `types[]` in one `GET /v1/events`. */
export const MAX_TYPES_PER_LIST = 20;

/** Every event type of the eight trigger families: what an endpoint gets while no workflow is deployed. */
export function allTriggerEventTypes(): string[] {
  return sortedUnique(TRIGGER_NODES.flatMap((node) => triggerEventTypes({ type: node.type })));
}

/**
 * The union of the types the deployed, not paused, triggers need. Stripe requires at least one enabled event,
 * so an environment with nothing running gets every type of the eight families: deliveries are stored in the
 * inbox (visible in the event list) and match as soon as a workflow is deployed or resumed.
 */
export function neededEventTypes(
  triggers: { triggerType: string; triggerActions: string[]; enabled?: boolean }[],
): string[] {
  const types = triggers
    .filter((t) => t.enabled !== false)
    .flatMap((t) => triggerEventTypes({ type: t.triggerType, config: { actions: t.triggerActions } }));
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
