import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from '../src/ingest/verify-signature.js';
import { signatureHeader } from './support/stripe-events.js';

const secret = 'whsec_test_secret';
const payload = JSON.stringify({ id: 'evt_test_webhook', object: 'event' }, null, 2);
const sign = (t: number, body: string, key = secret) => createHmac('sha256', key).update(`${t}.${body}`).digest('hex');

describe('verifyStripeSignature', () => {
  it("accepts stripe-node's own test vector", () => {
    const header = 't=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150';
    expect(verifyStripeSignature(payload, header, [secret], { now: 1700000000 })).toEqual({
      ok: true,
      timestamp: 1700000000,
    });
  });

  it('accepts headers made by stripe.webhooks.generateTestHeaderStringAsync', async () => {
    const header = await signatureHeader(payload, secret);
    expect(verifyStripeSignature(Buffer.from(payload), header, [secret]).ok).toBe(true);
  });

  it('tries every v1 signature and ignores v0 and unknown schemes', () => {
    const t = 1700000000;
    const header = `t=${t},v0=${sign(t, payload)},v1=${'0'.repeat(64)},v1=${sign(t, payload)},v9=abc`;
    expect(verifyStripeSignature(payload, header, [secret], { now: t }).ok).toBe(true);
  });

  it('does not accept a valid signature offered only as v0', () => {
    const t = 1700000000;
    const result = verifyStripeSignature(payload, `t=${t},v0=${sign(t, payload)}`, [secret], { now: t });
    expect(result).toMatchObject({ ok: false, reason: 'no_valid_signature' });
  });

  it('skips elements that are not key=value, as Stripe does', () => {
    const t = 1700000000;
    expect(verifyStripeSignature(payload, `t=${t},v1=${sign(t, payload)},`, [secret], { now: t }).ok).toBe(true);
    expect(verifyStripeSignature(payload, ` t=${t}, junk, v1=${sign(t, payload)}`, [secret], { now: t }).ok).toBe(true);
  });

  it('accepts any of several secrets, as during a rotation', () => {
    const t = 1700000000;
    const header = `t=${t},v1=${sign(t, payload, 'whsec_old')}`;
    expect(verifyStripeSignature(payload, header, ['whsec_new', 'whsec_old'], { now: t }).ok).toBe(true);
  });

  it.each([
    ['missing header', undefined, 'missing_header'],
    ['empty header', '', 'missing_header'],
    ['no key=value pairs', 'garbage', 'malformed_header'],
    ['only commas', ',,,', 'malformed_header'],
    ['non-numeric timestamp', `t=abc,v1=${'a'.repeat(64)}`, 'malformed_header'],
    ['no timestamp', `v1=${sign(1700000000, payload)}`, 'malformed_header'],
    ['no v1 entry', 't=1700000000', 'no_valid_signature'],
    ['a signature of another body', `t=1700000000,v1=${sign(1700000000, '{}')}`, 'no_valid_signature'],
    [
      'a signature with another secret',
      `t=1700000000,v1=${sign(1700000000, payload, 'whsec_other')}`,
      'no_valid_signature',
    ],
    ['a truncated signature', `t=1700000000,v1=${sign(1700000000, payload).slice(0, 40)}`, 'no_valid_signature'],
  ])('rejects %s', (_name, header, reason) => {
    expect(verifyStripeSignature(payload, header, [secret], { now: 1700000000 })).toMatchObject({ ok: false, reason });
  });

  it('rejects a timestamp older than 300 s and accepts one just inside', () => {
    const t = 1700000000;
    const header = `t=${t},v1=${sign(t, payload)}`;
    expect(verifyStripeSignature(payload, header, [secret], { now: t + 300 }).ok).toBe(true);
    expect(verifyStripeSignature(payload, header, [secret], { now: t + 301 })).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('rejects a timestamp far in the future', () => {
    const t = 1700000000;
    expect(verifyStripeSignature(payload, `t=${t},v1=${sign(t, payload)}`, [secret], { now: t - 3600 })).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('rejects everything when no secret is configured', () => {
    const t = 1700000000;
    expect(verifyStripeSignature(payload, `t=${t},v1=${sign(t, payload)}`, [], { now: t })).toMatchObject({
      ok: false,
      reason: 'no_signing_secret',
    });
  });

  it('checks the exact bytes: whitespace changes break the signature', () => {
    const t = 1700000000;
    const header = `t=${t},v1=${sign(t, payload)}`;
    expect(verifyStripeSignature(JSON.stringify(JSON.parse(payload)), header, [secret], { now: t }).ok).toBe(false);
  });
});
