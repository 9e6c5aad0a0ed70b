import type { Environment } from '../api/types.js';

/** Hosts Stripe's servers cannot deliver to: a webhook URL on one of them never receives an event. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

export interface ConnectionDraft {
  env: Environment;
  /** What the user is typing in the secret key field; empty while they keep the stored one. */
  typedKey: string;
  /** The stored key's mode, when the field is left as it is. */
  storedMode: 'test' | 'live' | null;
  webhookEnabled: boolean;
  webhookUrl: string | null;
}

/**
 * What is wrong with the form as it stands, before it is saved: a key of the wrong mode for the environment (a
 * test key cannot see production's payments; a live key elsewhere lets tests touch real money) and a webhook URL
 * Stripe cannot reach.
 */
export function connectionWarnings(d: ConnectionDraft): string[] {
  const warnings: string[] = [];
  const typed = d.typedKey.trim();
  const mode = typed
    ? /^(sk|rk)_live_/.test(typed)
      ? 'live'
      : /^(sk|rk)_test_/.test(typed)
        ? 'test'
        : null
    : d.storedMode;
  const which = typed ? 'This key' : 'The stored key';
  if (mode === 'live' && d.env !== 'production')
    warnings.push(`${which} is a live key: outside production, workflows would act on real payments and customers.`);
  if (mode === 'test' && d.env === 'production')
    warnings.push(`${which} is a test key: production would not see live payments or reach live objects.`);
  if (d.webhookEnabled && d.webhookUrl && LOCAL_HOSTS.has(hostOf(d.webhookUrl)))
    warnings.push(
      `The webhook URL ${d.webhookUrl} is on this machine only: Stripe cannot reach it. Set PUBLIC_URL to an address reachable from the internet (or forward with the Stripe CLI).`,
    );
  return warnings;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
