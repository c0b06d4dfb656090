import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import {
  backoffDelaySeconds,
  MAX_RETRY_DELAY_SECONDS,
  nextRetryDelaySeconds,
  parseRetryAfter,
  retryWindowSeconds,
  scheduledDelaySeconds,
} from '../../../lib/domain/retry-policy.ts';

const cfg = { baseDelaySeconds: 30, maxDelaySeconds: 6 * 3600 };

describe('backoff with bounded jitter', () => {
  it('stays within [0.8 d, d], d = min(max, base × 2^(n-1), 12 h), for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 86_400 }),
        (attempt, r, base, max) => {
          const cfgN = { baseDelaySeconds: base, maxDelaySeconds: max };
          const delay = backoffDelaySeconds(attempt, cfgN, () => r);
          const d = Math.min(max, base * 2 ** (attempt - 1), MAX_RETRY_DELAY_SECONDS);
          expect(scheduledDelaySeconds(attempt, cfgN)).toBe(Math.max(1, Math.ceil(d)));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.floor(0.8 * d)));
          expect(delay).toBeLessThanOrEqual(Math.max(1, Math.ceil(d)));
        },
      ),
    );
  });

  it('grows exponentially from its schedule and is capped', () => {
    const none = () => 0;
    expect([1, 2, 3, 4].map((n) => backoffDelaySeconds(n, cfg, none))).toEqual([30, 60, 120, 240]);
    expect(backoffDelaySeconds(20, cfg, none)).toBe(6 * 3600);
    expect(backoffDelaySeconds(3, cfg, () => 0.999999)).toBe(97); // 120 − 23: whole seconds, under 20 %
  });

  it('spreads retries (jitter): different random values give different delays', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelaySeconds(5, cfg, () => r)));
    expect(delays.size).toBe(5);
  });
});

describe('the default schedule', () => {
  const defaults = parseConfig({ WRO_TABLE_NAME: 'defaults' }).delivery;

  it('starts within seconds and keeps trying for at least 3 days, never more than 4', () => {
    expect(scheduledDelaySeconds(1, defaults)).toBe(5);
    const window = retryWindowSeconds(defaults);
    expect(window.min).toBeGreaterThanOrEqual(3 * 86_400);
    expect(window.max).toBeLessThan(4 * 86_400);
  });

  it('is the schedule docs/ticket-exports.md lists, delay by delay', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/ticket-exports.md'), 'utf8');
    const listed = doc.match(/<!-- retry-schedule -->\n([^<]*)<!-- \/retry-schedule -->/)?.[1] ?? '';
    const delays = [...listed.matchAll(/^\| (\d+) \| ([\d,]+) s /gm)].map((m) => [
      Number(m[1]),
      Number(m[2]?.replace(/,/g, '')),
    ]);
    expect(delays).toEqual(
      Array.from({ length: defaults.maxAttempts - 1 }, (_, i) => [
        i + 1,
        scheduledDelaySeconds(i + 1, defaults),
      ]),
    );
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

  it('lengthens the backoff, never shortens it: the delay is max(backoff, Retry-After)', () => {
    expect(nextRetryDelaySeconds(7, cfg, '3', { nowMs: now, random: () => 0 })).toEqual({
      delaySeconds: 1920,
      source: 'backoff',
    });
    expect(nextRetryDelaySeconds(1, cfg, '3600', { nowMs: now, random: () => 0 })).toEqual({
      delaySeconds: 3600,
      source: 'retry_after',
    });
    expect(nextRetryDelaySeconds(1, cfg, String(30 * 3600), { nowMs: now }).delaySeconds).toBe(12 * 3600);
    expect(nextRetryDelaySeconds(2, cfg, undefined, { nowMs: now, random: () => 0 })).toEqual({
      delaySeconds: 60,
      source: 'backoff',
    });
    expect(nextRetryDelaySeconds(2, cfg, 'garbage', { nowMs: now, random: () => 0.999 }).source).toBe(
      'backoff',
    );
  });
});
