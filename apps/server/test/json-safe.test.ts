import { describe, expect, it } from 'vitest';
import { isRowDataError, toJsonbText, toStorableText, unstorableJsonReason } from '../src/db/json-safe.js';
import { clampRunAt, MAX_RESCHEDULE_MS } from '../src/runtime/queue.js';
import { RecentEvents } from '../src/runtime/recent-events.js';

describe('values made storable in jsonb', () => {
  it('replaces NUL and lone surrogates in strings and keys, keeping pairs and escaped backslashes', () => {
    const value = {
      'k\u0000': 'a\u0000b',
      high: '\ud800x',
      low: 'x\udc00',
      emoji: '😀',
      literal: '\\u0000',
      slash: '\\\u0000',
    };
    expect(JSON.parse(toJsonbText(value))).toEqual({
      'k\ufffd': 'a\ufffdb',
      high: '\ufffdx',
      low: 'x\ufffd',
      emoji: '😀',
      literal: '\\u0000',
      slash: '\\\ufffd',
    });
    expect(toJsonbText({ plain: 'text' })).toBe('{"plain":"text"}');
    expect(toJsonbText(undefined)).toBe('null');
    // What JSON.stringify throws on is degraded, not allowed to fail the write.
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    expect(JSON.parse(toJsonbText(cyclic))).toEqual({ n: '10', self: '[Circular]' });
    expect(toStorableText('a\u0000\ud800😀\udc00')).toBe('a\ufffd\ufffd😀\ufffd');
  });

  it('tells why raw JSON cannot be stored as received', () => {
    expect(unstorableJsonReason('{"a":"\\u0000"}')).toMatch(/\\u0000/);
    expect(unstorableJsonReason('{"a":"\\uD800"}')).toMatch(/lone surrogate "\\uD800"/);
    expect(unstorableJsonReason('{"a":"\\udc00"}')).toMatch(/lone surrogate/);
    expect(unstorableJsonReason('{"a":"\\ud800\\u0041"}')).toMatch(/lone surrogate/);
    expect(unstorableJsonReason('{"a":"\\\\\\u0000"}')).toMatch(/\\u0000/);
    // Storable: an escaped backslash before "u0000", a surrogate pair, ordinary escapes.
    expect(unstorableJsonReason('{"a":"\\\\u0000"}')).toBeUndefined();
    expect(unstorableJsonReason('{"a":"\\ud83d\\ude00 \\u00e9"}')).toBeUndefined();
    expect(unstorableJsonReason('{"a":1}')).toBeUndefined();
  });

  it('treats data exceptions as a row fault and everything else as the database', () => {
    expect(isRowDataError({ code: '22P05' })).toBe(true);
    expect(isRowDataError({ code: '22003' })).toBe(true);
    expect(isRowDataError({ code: '54000' })).toBe(true);
    expect(isRowDataError({ code: '08006' })).toBe(false);
    expect(isRowDataError({ code: '57P01' })).toBe(false);
    expect(isRowDataError(new Error('ECONNREFUSED'))).toBe(false);
  });
});

describe('bounded waits', () => {
  it('clamps a reschedule time into [now, now + 30 days]; an Invalid Date waits a minute', () => {
    const now = 1_800_000_000_000;
    expect(clampRunAt(new Date(Number.NaN), now).getTime()).toBe(now + 60_000);
    expect(clampRunAt(new Date(now - 5_000), now).getTime()).toBe(now);
    expect(clampRunAt(new Date(8.64e15), now).getTime()).toBe(now + MAX_RESCHEDULE_MS);
    expect(clampRunAt(new Date(now + 1_000), now).getTime()).toBe(now + 1_000);
  });

  it('the payload handoff drops entries past their time to live and keeps within its byte budget', () => {
    let now = 0;
    const recent = new RecentEvents({ capacity: 100, maxBytes: 1_000, ttlMs: 1_000, now: () => now });
    recent.remember(1, { a: 1 }, 400);
    recent.remember(2, { b: 2 }, 400);
    recent.remember(3, { c: 3 }, 400); // over budget: the oldest goes
    expect(recent.bytes).toBe(800);
    expect(recent.take(1)).toBeUndefined();
    expect(recent.take(2)).toEqual({ b: 2 });
    expect(recent.take(2)).toBeUndefined(); // once only
    recent.remember(4, { d: 4 }, 5_000); // larger than the whole budget: never kept
    expect(recent.take(4)).toBeUndefined();
    now = 2_000;
    expect(recent.take(3)).toBeUndefined(); // expired
    recent.remember(5, { e: 5 }, 100);
    now = 2_500;
    recent.remember(6, { f: 6 }, 100);
    now = 3_200; // 5 is expired now, 6 is not
    recent.remember(7, { g: 7 }, 100);
    expect(recent.size).toBe(2);
    expect(recent.bytes).toBe(200);
    expect(recent.take(6)).toEqual({ f: 6 });
  });
});
