/**
 * The server's implementations of the engine's side-effect ports (the tables
 * port lives with the database code).
 */

export type { EmailPortOptions } from './email.js';
export { createEmailPort, IDEMPOTENCY_HEADER, messageIdFor } from './email.js';
export type { HttpPortOptions } from './http.js';
export { createHttpPort, DEFAULT_MAX_RESPONSE_BYTES, MAX_REDIRECTS } from './http.js';
export type { LookupFn, NetworkPolicy, ResolvedAddress } from './ssrf.js';
export { blockedReason, resolveAllowedAddress, systemLookup } from './ssrf.js';
export type { StripeClientOptions, StripePortOptions } from './stripe.js';
export { createStripeClient, createStripePort, encodeStripeParams } from './stripe.js';
