import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason: 'missing_header' | 'malformed_header' | 'no_valid_signature' | 'stale_timestamp' | 'no_signing_secret';
      message: string;
    };

export interface VerifyOptions {
  /** Unix seconds; injectable so tests can pin the clock. */
  now?: number;
  toleranceSeconds?: number;
}

/**
 * Stripe's scheme (https://docs.stripe.com/webhooks#verify-manually): HMAC-SHA256 of `${t}.${rawBody}`,
 * compared against every `v1=` entry. `v0` and unknown schemes are ignored. Several secrets are accepted
 * so a rotated secret keeps verifying until it expires. Returns a result instead of throwing, so the route
 * maps each reason to one answer.
 */
export function verifyStripeSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: readonly string[],
  options: VerifyOptions = {},
): SignatureCheck {
  if (header === undefined || header.trim() === '') return fail('missing_header', 'missing Stripe-Signature header');
  if (secrets.length === 0) return fail('no_signing_secret', 'no signing secret is configured for this webhook');

  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    // Like Stripe's own parser, skip elements that are not key=value (a trailing comma, say): the checks for a
    // timestamp and a v1 entry below still reject a header that carries neither.
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value))
        return fail('malformed_header', 'malformed Stripe-Signature header: bad timestamp');
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined) return fail('malformed_header', 'malformed Stripe-Signature header: no timestamp');
  if (signatures.length === 0) return fail('no_valid_signature', 'no v1 signature in Stripe-Signature header');

  const candidates = signatures.map((s) => Buffer.from(s, 'hex'));
  const signedPrefix = `${timestamp}.`;
  const matched = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(signedPrefix).update(rawBody).digest();
    return candidates.some((candidate) => timingSafeEqual(candidate, expected));
  });
  if (!matched) return fail('no_valid_signature', 'no signature matches the expected signature for this payload');

  // Checked after the HMAC, as Stripe does, so a forged header cannot probe the clock.
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance)
    return fail('stale_timestamp', `timestamp is outside the ${tolerance} s tolerance`);
  return { ok: true, timestamp };
}

function fail(reason: Exclude<SignatureCheck, { ok: true }>['reason'], message: string): SignatureCheck {
  return { ok: false, reason, message };
}
