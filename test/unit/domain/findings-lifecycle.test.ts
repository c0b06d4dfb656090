import { describe, expect, it } from 'vitest';
import {
  type FindingLifecycle,
  type RunObservation,
  recheckOf,
  reconcileFindings,
  scannedSuccessfully,
} from '../../../lib/domain/findings-lifecycle.ts';

const P1 = 'https://x.test/1';
const P2 = 'https://x.test/2';

function finding(fp: string, over: Partial<FindingLifecycle> = {}): FindingLifecycle {
  return {
    fingerprint: fp,
    state: 'open',
    type: 't',
    category: 'security',
    severity: 'high',
    title: fp,
    page_url: P1,
    page_key: P1,
    first_scan_run_id: 1,
    last_seen_scan_run_id: 1,
    last_checked_scan_run_id: 1,
    fixed_scan_run_id: null,
    page_error: null,
    ...over,
  };
}

function run(id: number, pages: [string, number][], issues: [string, number][]): RunObservation {
  return {
    scanRunId: id,
    pages: pages.map(([normalized_url, status_code]) => ({ normalized_url, status_code })),
    issues: issues.map(([fingerprint, page_index]) => ({
      fingerprint,
      type: 't',
      category: 'security',
      severity: 'high',
      title: fingerprint,
      page_url: pages[page_index]?.[0] ?? '',
      page_index,
    })),
  };
}

const byFp = (...fs: FindingLifecycle[]) => new Map(fs.map((f) => [f.fingerprint, f]));

describe('reconcileFindings', () => {
  it.each([
    // [case, previous, run, expected change kind of A (or none), expected state, delta]
    ['new when never seen', byFp(), run(2, [[P1, 200]], [['A', 0]]), 'new', 'open', { new: 1 }],
    [
      'unchanged when seen while open',
      byFp(finding('A')),
      run(2, [[P1, 200]], [['A', 0]]),
      'unchanged',
      'open',
      { unchanged: 1 },
    ],
    [
      'reopened when seen while fixed',
      byFp(finding('A', { state: 'fixed', fixed_scan_run_id: 2 })),
      run(3, [[P1, 200]], [['A', 0]]),
      'reopened',
      'reopened',
      { reopened: 1 },
    ],
    [
      'reopened stays reopened when seen again',
      byFp(finding('A', { state: 'reopened' })),
      run(3, [[P1, 200]], [['A', 0]]),
      'unchanged',
      'reopened',
      { unchanged: 1 },
    ],
    [
      'fixed when its page was scanned successfully without it',
      byFp(finding('A')),
      run(2, [[P1, 200]], []),
      'fixed',
      'fixed',
      { fixed: 1 },
    ],
    [
      'fixed after a 3xx scan of its page',
      byFp(finding('A')),
      run(2, [[P1, 301]], []),
      'fixed',
      'fixed',
      { fixed: 1 },
    ],
    [
      'not fixed when its page answered 503',
      byFp(finding('A')),
      run(2, [[P1, 503]], []),
      'page_error',
      'open',
      { not_rechecked: 1 },
    ],
    [
      'not fixed when its page answered 404',
      byFp(finding('A')),
      run(2, [[P1, 404]], []),
      'page_error',
      'open',
      { not_rechecked: 1 },
    ],
    [
      'untouched when its page was not scanned',
      byFp(finding('A')),
      run(2, [[P2, 200]], []),
      undefined,
      undefined,
      { not_rechecked: 1 },
    ],
    [
      'a fixed finding not seen stays fixed, unwritten',
      byFp(finding('A', { state: 'fixed' })),
      run(3, [[P1, 200]], []),
      undefined,
      undefined,
      {},
    ],
    [
      'fixed when its page is listed twice and one scan succeeded',
      byFp(finding('A')),
      run(
        2,
        [
          [P1, 503],
          [P1, 200],
        ],
        [],
      ),
      'fixed',
      'fixed',
      { fixed: 1 },
    ],
  ] as const)('%s', (_case, previous, observed, kind, state, delta) => {
    const out = reconcileFindings(previous, observed);
    const change = out.changes.find((c) => c.after.fingerprint === 'A');
    expect(change?.kind).toBe(kind);
    expect(change?.after.state).toBe(state);
    expect(out.delta).toEqual({ new: 0, fixed: 0, reopened: 0, unchanged: 0, not_rechecked: 0, ...delta });
  });

  it('moves a finding to the page it was seen on, keeps its first run, clears an old page error', () => {
    const prev = finding('A', { page_error: { scan_run_id: 2, status_code: 503 } });
    const { changes } = reconcileFindings(byFp(prev), run(3, [[P2, 200]], [['A', 0]]));
    expect(changes[0]?.after).toMatchObject({
      page_key: P2,
      first_scan_run_id: 1,
      last_seen_scan_run_id: 3,
      last_checked_scan_run_id: 3,
      page_error: null,
    });
  });

  it('counts every finding exactly once across a mixed run', () => {
    const previous = byFp(
      finding('open-seen'),
      finding('open-gone'),
      finding('fixed-back', { state: 'fixed' }),
      finding('elsewhere', { page_key: P2 }),
      finding('erroring', { page_key: 'https://x.test/3' }),
    );
    const observed = run(
      5,
      [
        [P1, 200],
        ['https://x.test/3', 500],
      ],
      [
        ['open-seen', 0],
        ['fixed-back', 0],
        ['brand-new', 0],
      ],
    );
    const { changes, delta } = reconcileFindings(previous, observed);
    expect(delta).toEqual({ new: 1, fixed: 1, reopened: 1, unchanged: 1, not_rechecked: 2 });
    // The finding whose page was not scanned is not written at all.
    expect(changes.map((c) => c.after.fingerprint).sort()).toEqual(
      ['brand-new', 'erroring', 'fixed-back', 'open-gone', 'open-seen'].sort(),
    );
  });

  it('success is 2xx and 3xx only', () => {
    expect([199, 200, 299, 301, 399, 400, 404, 500, 503].map(scannedSuccessfully)).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('recheckOf says what the latest applied run found', () => {
    const f = finding('A', {
      last_seen_scan_run_id: 4,
      last_checked_scan_run_id: 5,
      page_error: { scan_run_id: 6, status_code: 503 },
    });
    expect(recheckOf(f, 4)).toBe('seen');
    expect(recheckOf(f, 5)).toBe('absent');
    expect(recheckOf(f, 6)).toBe('page_error');
    expect(recheckOf(f, 7)).toBe('page_not_scanned');
    expect(recheckOf(f, undefined)).toBeNull();
  });
});
