import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelaySeconds,
  MAX_RETRY_DELAY_SECONDS,
  nextRetryDelaySeconds,
  parseRetryAfter,
} from '../../../lib/domain/retry-policy.ts';

const cfg = { baseDelaySeconds: 30, maxDelaySeconds: 6 * 3600 };

describe('backoff with full jitter', () => {
  it('stays within [1, min(max, base × 2^(n-1))] for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 86_400 }),
        (attempt, r, base, max) => {
          const d = backoffDelaySeconds(attempt, { baseDelaySeconds: base, maxDelaySeconds: max }, () => r);
          const cap = Math.min(max, base * 2 ** (attempt - 1), MAX_RETRY_DELAY_SECONDS);
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(1);
          expect(d).toBeLessThanOrEqual(Math.max(1, cap));
        },
      ),
    );
  });

  it('grows exponentially at the top of the jitter range and is capped', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelaySeconds(n, cfg, top))).toEqual([30, 60, 120, 240]);
    expect(backoffDelaySeconds(20, cfg, top)).toBe(6 * 3600);
    expect(backoffDelaySeconds(3, cfg, () => 0)).toBe(1);
  });

  it('spreads retries (jitter): different random values give different delays', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelaySeconds(5, cfg, () => r)));
    expect(delays.size).toBe(5);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['1', 1],
    ['0', 1],
    ['120', 120],
    [' 7 ', 7],
    ['43200', 43200],
    ['99999999', MAX_RETRY_DELAY_SECONDS],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30],
    ['Wed, 01 Jan 2025 00:00:00 GMT', 1],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 1],
    ['Fri, 03 Jan 2025 00:00:00 GMT', MAX_RETRY_DELAY_SECONDS],
  ])('%j → %i seconds (clamped to 1 s … 12 h)', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each(['', 'soon', '-5', '1.5', '5s', 'Wed, 99 Foo 2025', '2025-01-01T00:00:30Z', '0x10'])(
    '%j is not a Retry-After value',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('a repeated header is ambiguous and ignored', () => {
    expect(parseRetryAfter(['5', '10'], now)).toBeUndefined();
    expect(parseRetryAfter(['5'], now)).toBe(5);
  });

  it('replaces the backoff when present, whatever the attempt number', () => {
    expect(nextRetryDelaySeconds(7, cfg, '3', { nowMs: now, random: () => 0.5 })).toEqual({
      delaySeconds: 3,
      source: 'retry_after',
    });
    expect(nextRetryDelaySeconds(2, cfg, undefined, { nowMs: now, random: () => 0.999 })).toEqual({
      delaySeconds: 60,
      source: 'backoff',
    });
    expect(nextRetryDelaySeconds(2, cfg, 'garbage', { nowMs: now, random: () => 0.999 }).source).toBe(
      'backoff',
    );
  });
});
