import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  defaultRegistry,
  MAX_RETRY_AFTER_MS,
  parseHttpDate,
  parseRetryAfter,
  RetryAfterError,
  retryDelay,
  runWorkflow,
} from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const registry = defaultRegistry;

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds and the three HTTP-date forms', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Tuesday, 01-Dec-26 09:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Tue Dec  1 09:02:00 2026', NOW)).toBe(120_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('caps what it is asked to wait at one hour', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
    expect(parseRetryAfter('31536000', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('99999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(MAX_RETRY_AFTER_MS); // Number() says Infinity
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('600', NOW, 60_000)).toBe(60_000);
  });

  it('counts anything else as no value', () => {
    for (const garbage of [
      '',
      '   ',
      'soon',
      '1e9',
      '-5',
      '0x10',
      'Infinity',
      'NaN',
      '120, 120',
      '2026-12-31T00:00:00Z',
      'Tue, 31 Feb 2026 09:02:00 GMT',
      'Tue, 01 Dec 2026 25:02:00 GMT',
      'Tue, 01 Foo 2026 09:02:00 GMT',
      'Tue, 01 Dec 275760 09:02:00 GMT',
    ]) {
      expect(parseRetryAfter(garbage, NOW), garbage).toBeUndefined();
    }
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('puts an RFC 850 two-digit year in the right century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });
});

describe('retry delays', () => {
  it('bounds a RetryAfterError by the policy and the global cap, and ignores NaN', () => {
    expect(new RetryAfterError('x', Number.POSITIVE_INFINITY).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(new RetryAfterError('x', -5).retryAfterMs).toBe(0);
    expect(new RetryAfterError('x', Number.NaN).retryAfterMs).toBeUndefined();
    const policy = { ...DEFAULT_RETRY, maxBackoffMs: 30_000 };
    expect(retryDelay(policy, 1, 10 * MAX_RETRY_AFTER_MS)).toBe(30_000);
    expect(retryDelay({ ...policy, maxBackoffMs: 86_400_000 }, 1, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(policy, 1, 5_000)).toBe(5_000);
    expect(retryDelay(policy, 2, undefined)).toBe(2_000);
    expect(retryDelay(policy, 2, Number.NaN)).toBe(2_000);
  });

  const event = loadEvent('invoice.paid');
  const call = (retry?: Record<string, number>) =>
    chain('stripe.invoice', [
      { id: 'call', type: 'http.request', config: { url: 'https://api.example.com', ...(retry ? { retry } : {}) } },
    ]);
  const answer429 = async (retryAfter: string, retry?: Record<string, number>) => {
    const ports = createMemoryPorts({
      http: () => ({ status: 429, headers: { 'retry-after': retryAfter }, body: '' }),
    });
    // No ports.sleep: every retry comes back as status 'retry' with the time the queue will store.
    const { sleep: _sleep, ...noSleep } = ports;
    const r = await runWorkflow({ registry, workflow: call(retry), event, ports: noSleep });
    expect(r.status).toBe('retry');
    const retryAt = r.status === 'retry' ? r.retryAt : Number.NaN;
    expect(Number.isFinite(retryAt)).toBe(true);
    expect(r.steps.find((s) => s.nodeId === 'call')?.retryAt).toBe(retryAt);
    return retryAt - ports.now();
  };

  it('never lets a Retry-After push retryAt past the cap, nor make it NaN', async () => {
    // The http node's default policy caps backoff at 5 minutes.
    expect(await answer429('31536000')).toBe(DEFAULT_RETRY.maxBackoffMs);
    expect(await answer429('99999999999999')).toBe(DEFAULT_RETRY.maxBackoffMs);
    expect(await answer429('Fri, 31 Dec 9999 23:59:59 GMT')).toBe(DEFAULT_RETRY.maxBackoffMs);
    expect(await answer429('31536000', { maxBackoffMs: 86_400_000 })).toBe(MAX_RETRY_AFTER_MS);
    expect(await answer429('120')).toBe(120_000);
    // Garbage is no value: the policy's first backoff applies.
    expect(await answer429('not a date')).toBe(DEFAULT_RETRY.backoffMs);
    expect(await answer429('Tue, 31 Feb 2026 09:02:00 GMT')).toBe(DEFAULT_RETRY.backoffMs);
  });
});
