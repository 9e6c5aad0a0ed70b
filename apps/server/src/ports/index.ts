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
