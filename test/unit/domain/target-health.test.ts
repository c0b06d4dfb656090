import { describe, expect, it } from 'vitest';
import { targetHealthChange } from '../../../lib/domain/target-health.ts';

const DAY = 86_400_000;
const FIVE_DAYS_S = 5 * 86_400;

describe('targetHealthChange', () => {
  const cases: [
    string,
    number | undefined,
    'success' | 'failure',
    number,
    ReturnType<typeof targetHealthChange>,
  ][] = [
    ['a success on a healthy target changes nothing', undefined, 'success', 10 * DAY, { kind: 'none' }],
    [
      'the first failure starts a streak',
      undefined,
      'failure',
      10 * DAY,
      { kind: 'failing_since', atMs: 10 * DAY },
    ],
    ['a success ends a streak', 1 * DAY, 'success', 3 * DAY, { kind: 'recovered' }],
    ['a failure inside the period keeps the streak', 1 * DAY, 'failure', 6 * DAY - 1, { kind: 'none' }],
    ['a failure at the end of the period disables', 1 * DAY, 'failure', 6 * DAY, { kind: 'disable' }],
    ['a failure after the period disables', 1 * DAY, 'failure', 30 * DAY, { kind: 'disable' }],
  ];
  it.each(cases)('%s', (_name, since, result, now, expected) => {
    expect(
      targetHealthChange(since === undefined ? {} : { failing_since_ms: since }, result, now, FIVE_DAYS_S),
    ).toEqual(expected);
  });
});
