import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskSecret, SecretBox } from '../src/crypto/secrets.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('sk_test_51Habcdefghijklmnop4242', 'production:secretKey');
    expect(sealed).not.toContain('abcdefghijklmnop');
    expect(box.open(sealed, 'production:secretKey')).toBe('sk_test_51Habcdefghijklmnop4242');
  });

  it('uses a fresh nonce for every value', () => {
    expect(box.seal('same', 'ctx')).not.toBe(box.seal('same', 'ctx'));
  });

  it('refuses a ciphertext moved to another environment or key', () => {
    const sealed = box.seal('whsec_abc', 'staging:webhookSecret');
    expect(() => box.open(sealed, 'production:webhookSecret')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'staging:webhookSecret')).toThrow();
  });
});

describe('maskSecret', () => {
  it.each([
    ['sk_test_51HabcdefghijKLMN4242', 'sk_test_…4242'],
    ['sk_live_51HabcdefghijKLMN9876', 'sk_live_…9876'],
    ['rk_test_abcdefghijkl1234', 'rk_test_…1234'],
    ['whsec_abcdefghijklmnopqrstuv9f3a', 'whsec_…9f3a'],
    ['sk_test_short', 'sk_test_…'],
  ])('%s → %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
