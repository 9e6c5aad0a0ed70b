/**
 * The server's implementations of the engine's side-effect ports (the tables
 * port lives with the database code).
 */
export { createHttpPort, DEFAULT_MAX_RESPONSE_BYTES, MAX_REDIRECTS } from './http.js';
export type { HttpPortOptions } from './http.js';
export { blockedReason, resolveAllowedAddress, systemLookup } from './ssrf.js';
export type { LookupFn, NetworkPolicy, ResolvedAddress } from './ssrf.js';
export { createStripePort, createStripeClient, encodeStripeParams } from './stripe.js';
export type { StripePortOptions, StripeClientOptions } from './stripe.js';
export { createEmailPort, messageIdFor, IDEMPOTENCY_HEADER } from './email.js';
export type { EmailPortOptions } from './email.js';

type Env = Record<string, string | undefined>;

/** Reads the ports' environment variables: ALLOW_PRIVATE_NETWORK_REQUESTS, ALLOWED_PRIVATE_ADDRESSES, SMTP_URL, SMTP_FROM, STRIPE_API_BASE. */
export function portsConfigFromEnv(env: Env = process.env) {
  return {
    allowPrivateNetwork: env.ALLOW_PRIVATE_NETWORK_REQUESTS?.trim().toLowerCase() === 'true',
    allowedAddresses: (env.ALLOWED_PRIVATE_ADDRESSES ?? '').split(',').map((a) => a.trim()).filter(Boolean),
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    smtpFrom: env.SMTP_FROM?.trim() || undefined,
    stripeApiBase: env.STRIPE_API_BASE?.trim() || 'https://api.stripe.com',
  };
}
