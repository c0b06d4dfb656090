import { describe, expect, it } from 'vitest';
import { toScanRunView } from '../../../lib/domain/scan-runs.ts';
import { scanRunItem } from '../../support/report-fixtures.ts';

const run = scanRunItem;

describe('toScanRunView: findings_status', () => {
  it.each([
    [
      'a run just completed (the completion stores pending)',
      { findings_status: 'pending' as const },
      'pending',
    ],
    ['an applied run', { findings_status: 'applied' as const }, 'applied'],
    ['a superseded run', { findings_status: 'superseded' as const }, 'superseded'],
    // Completed before findings were tracked: never applied, so never "pending" forever.
    ['a run completed before findings existed', {}, null],
    ['a queued run', { status: 'queued' as const, completed_at: null }, null],
    ['a failed run', { status: 'failed' as const }, null],
  ])('%s → %s', (_name, over, expected) => {
    expect(toScanRunView(run(over)).findings_status).toBe(expected);
  });
});
