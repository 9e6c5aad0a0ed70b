import type { Redactor } from '@switchyard/engine';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The values of a row edited by hand, with every masked secret put back. The rows API shows a secret a workflow
 * wrote into a row masked (`••••1234`), so the row dialog sends that mask back when the user changes another
 * field: where the new value is exactly the mask of the stored one at the same place, the stored value is kept,
 * so an edit never overwrites a secret with its mask. Anything else the user typed wins.
 */
export function keepMaskedSecrets(next: unknown, stored: unknown, redact: Redactor): unknown {
  if (typeof next === 'string' && typeof stored === 'string')
    return next !== stored && redact(stored) === next ? stored : next;
  if (Array.isArray(next) && Array.isArray(stored)) return next.map((v, i) => keepMaskedSecrets(v, stored[i], redact));
  if (isObject(next) && isObject(stored)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next))
      out[k] = Object.hasOwn(stored, k) ? keepMaskedSecrets(v, stored[k], redact) : v;
    return out;
  }
  return next;
}
