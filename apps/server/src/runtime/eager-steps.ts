import { defaultRegistry } from '@switchyard/engine';

/**
 * Whether a finished step is written to the database before the run goes on. Nodes with external effects
 * (HTTP, Stripe, email) have no transactional record of their own: after a crash the resumed run must find
 * them done rather than act twice. The one place this is decided (the engine thread asks it for every step).
 */
export function persistsEagerly(nodeType: string): boolean {
  return defaultRegistry.get(nodeType)?.externalEffects === true;
}
