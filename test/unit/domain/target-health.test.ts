import { describe, expect, it } from 'vitest';
import { targetHealthChange } from '../../../lib/domain/target-health.ts';

const H = 3_600_000;
const DAY = 24 * H;
const rule = { disableAfterSeconds: 5 * 86_400, maxGapMs: DAY };

describe('targetHealthChange', () => {
  type Case = [
    string,
    { failing_since_ms?: number; failing_last_ms?: number },
    'success' | 'failure',
    number,
    unknown,
  ];
  const cases: Case[] = [
    ['a success on a healthy target changes nothing', {}, 'success', 10 * DAY, { kind: 'none' }],
    ['the first failure starts a streak', {}, 'failure', 10 * DAY, { kind: 'failing_since', atMs: 10 * DAY }],
    [
      'a success ends a streak',
      { failing_since_ms: DAY, failing_last_ms: DAY },
      'success',
      3 * DAY,
      { kind: 'recovered' },
    ],
    [
      'a failure soon after the last one writes nothing',
      { failing_since_ms: DAY, failing_last_ms: 2 * DAY },
      'failure',
      2 * DAY + H - 1,
      { kind: 'none' },
    ],
    [
      'an hour after the last one it moves the streak on',
      { failing_since_ms: DAY, failing_last_ms: 2 * DAY },
      'failure',
      2 * DAY + H,
      { kind: 'still_failing', atMs: 2 * DAY + H },
    ],
    [
      'failures that keep arriving for the whole period disable',
      { failing_since_ms: DAY, failing_last_ms: 6 * DAY - 12 * H },
      'failure',
      6 * DAY,
      { kind: 'disable' },
    ],
    [
      'just inside the period does not',
      { failing_since_ms: DAY, failing_last_ms: 6 * DAY - 12 * H },
      'failure',
      6 * DAY - 1,
      { kind: 'still_failing', atMs: 6 * DAY - 1 },
    ],
    // One failure on day 1, nothing for a week, one on day 8: a new streak, not a disable.
    [
      'a failure after a long quiet gap starts a new streak',
      { failing_since_ms: DAY, failing_last_ms: DAY },
      'failure',
      8 * DAY,
      { kind: 'failing_since', atMs: 8 * DAY },
    ],
    [
      'a streak written before failing_last_ms existed counts from its start',
      { failing_since_ms: DAY },
      'failure',
      DAY + 2 * H,
      { kind: 'still_failing', atMs: DAY + 2 * H },
    ],
  ];
  it.each(cases)('%s', (_name, target, result, now, expected) => {
    expect(targetHealthChange(target, result, now, rule)).toEqual(expected);
  });
});
