/**
 * The reasons a delivery is refused, with their hints: no zod here, so the editor loads it with the page that shows
 * them (`@switchyard/contract/rejection-hints`).
 */
/** How many refused deliveries each environment keeps; older ones are overwritten in place. */
export const REJECTIONS_KEPT = 100;

/**
 * Why the webhook route refused a delivery, one word each, with what a builder should check. The one place these
 * hints live: the editor shows them beside each refusal, alerts quote them.
 */
export const REJECTION_HINTS = {
  bad_signature:
    "The signature does not match: the signing secret in Switchyard does not match the endpoint's in Stripe (Dashboard → Developers → Webhooks → the endpoint → Signing secret), or the request did not come from Stripe.",
  missing_signature:
    'The request carried no Stripe-Signature header: it did not come from Stripe, or a proxy in front of Switchyard removed the header.',
  malformed_signature:
    'The Stripe-Signature header is not in Stripe’s format: the request did not come from Stripe, or a proxy rewrote the header.',
  stale_timestamp:
    'The signature is more than 5 minutes old: the server’s clock is off, or an old delivery was replayed. Check the server’s time (NTP).',
  no_signing_secret:
    'This environment has no signing secret yet: paste the endpoint’s signing secret from Stripe into the connection, or Register the endpoint.',
  secret_unreadable:
    'The stored signing secret cannot be decrypted on this server: its SWITCHYARD_MASTER_KEY is not the one that sealed it. Set the key every server shares, or save the signing secret again.',
  too_large: 'The body was larger than 1 MiB: Stripe never sends events that big, so it did not come from Stripe.',
  disabled:
    'The webhook of this environment is switched off, so Stripe’s deliveries are turned away. Switch it on, or remove the endpoint in Stripe.',
  invalid_json: 'A correctly signed body that is not JSON: a hand-made request signed with your secret, not Stripe.',
  not_an_object: 'A correctly signed body that is not a JSON object: not a Stripe event.',
  bad_id: 'A correctly signed body without a Stripe event id (evt_…): not a Stripe event.',
  bad_type: 'A correctly signed body without an event type: not a Stripe event.',
  bad_created: 'A correctly signed body without a valid "created" time: not a Stripe event.',
  unstorable:
    'A correctly signed body the database cannot store (a \\u0000 or a lone surrogate): not sent by Stripe; your signing secret may have leaked.',
} as const;

export type RejectionReason = keyof typeof REJECTION_HINTS;
export const REJECTION_REASONS = Object.keys(REJECTION_HINTS) as [RejectionReason, ...RejectionReason[]];

/** The hint for a reason, for code that holds a reason as a plain string. */
export const rejectionHint = (reason: string): string =>
  (REJECTION_HINTS as Record<string, string>)[reason] ?? 'The delivery was refused.';
