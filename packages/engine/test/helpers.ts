import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real Stripe events in the repository (fixtures/README.md says where they come from). */
export const EVENTS_DIR = fileURLToPath(new URL('../fixtures/stripe-events', import.meta.url));

export interface StripeEventFile {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [k: string]: unknown;
}

export function loadEvents(): StripeEventFile[] {
  return readdirSync(EVENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(EVENTS_DIR, f), 'utf8')) as StripeEventFile);
}

export function loadEvent(type: string): StripeEventFile {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${type}.json`), 'utf8')) as StripeEventFile;
}

/** A minimal one-trigger workflow around the given nodes, chained in order. */
export function chain(
  trigger: string,
  nodes: { id: string; type: string; config: Record<string, unknown> }[],
  triggerConfig: Record<string, unknown> = {},
) {
  const all = [{ id: 'trigger', type: trigger, config: triggerConfig }, ...nodes];
  return {
    name: 'test',
    nodes: all,
    edges: all.slice(1).map((n, i) => ({ id: `e${i}`, source: all[i]!.id, target: n.id })),
  };
}
