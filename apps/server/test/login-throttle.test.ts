import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/admin/login-throttle.js';

describe('LoginThrottle', () => {
  it('blocks an address after its 10th failure until the window ends, then forgets it', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ clock: () => now });
    for (let i = 0; i < 10; i++) {
      expect(throttle.retryAfter('a')).toBeUndefined();
      throttle.fail('a');
    }
    expect(throttle.retryAfter('a')).toBe(600);
    expect(throttle.retryAfter('b')).toBeUndefined();
    now += 599_500;
    expect(throttle.retryAfter('a')).toBe(1);
    now += 500;
    expect(throttle.retryAfter('a')).toBeUndefined();
  });

  it('never tracks more addresses than its bound, dropping expired windows first', () => {
    let now = 0;
    const throttle = new LoginThrottle({ maxEntries: 100, clock: () => now });
    for (let i = 0; i < 50; i++) throttle.fail(`old-${i}`);
    now += 10 * 60 * 1000;
    for (let i = 0; i < 10; i++) throttle.fail('attacker');
    for (let i = 0; i < 10_000; i++) throttle.fail(`spray-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(100);
  });
});
