import { describe, expect, it } from 'vitest';
import { buildReportSummary, REPORT_CONTENT_TYPES, reportKey } from '../../../lib/domain/scan-report.ts';
import { completedRun, issueRecord, pageRecord, realisticRun } from '../../support/report-fixtures.ts';

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

describe('buildReportSummary', () => {
  it.each([
    {
      name: 'a run without pages or issues',
      pages: [],
      issues: [],
      bySeverity: zero,
      perPage: [],
    },
    {
      name: 'one page, no issues',
      pages: [pageRecord(0)],
      issues: [],
      bySeverity: zero,
      perPage: [{ index: 0, issues_count: 0, issues_by_severity: zero }],
    },
    {
      name: 'issues counted on the page they were stored with, pages in payload order',
      pages: [pageRecord(1), pageRecord(0)],
      issues: [
        issueRecord('a-0000001', { page_index: 0, severity: 'critical' }),
        issueRecord('b-0000001', { page_index: 1, severity: 'low' }),
        issueRecord('c-0000001', { page_index: 1, severity: 'low' }),
      ],
      bySeverity: { ...zero, critical: 1, low: 2 },
      perPage: [
        { index: 0, issues_count: 1, issues_by_severity: { ...zero, critical: 1 } },
        { index: 1, issues_count: 2, issues_by_severity: { ...zero, low: 2 } },
      ],
    },
  ])('$name', ({ pages, issues, bySeverity, perPage }) => {
    const summary = buildReportSummary({ run: completedRun(), pages, issues });
    expect(summary.findings_by_severity).toEqual(bySeverity);
    expect(summary.issues_count).toBe(issues.length);
    expect(summary.pages_count).toBe(pages.length);
    expect(
      summary.pages.map((p) => ({
        index: p.index,
        issues_count: p.issues_count,
        issues_by_severity: p.issues_by_severity,
      })),
    ).toEqual(perPage);
  });

  it.each([
    { delta: undefined, expected: null },
    {
      delta: { new: 2, fixed: 1, reopened: 0, unchanged: 3, not_rechecked: 4 },
      expected: { new: 2, fixed: 1, reopened: 0, unchanged: 3, not_rechecked: 4 },
    },
  ])('carries the findings delta when the run has one ($expected)', ({ delta, expected }) => {
    const summary = buildReportSummary({
      run: completedRun({ findings_delta: delta }),
      pages: [],
      issues: [],
    });
    expect(summary.findings_delta).toEqual(expected);
  });

  it('holds the run, its counters, the pages with url and status, and links, and nothing private', () => {
    const input = realisticRun();
    const summary = buildReportSummary(input);
    expect(summary).toMatchObject({
      report_version: 1,
      scan_run_id: 7,
      project_id: 'prj_0123456789abcdef01234567',
      status: 'completed',
      completed_at: '2026-01-02T03:04:05.000Z',
      counters: input.run.counters,
      links: {
        sarif: '/api/scan-runs/7/report?format=sarif',
        issues: '/api/scan-runs/7/issues',
        pages: '/api/scan-runs/7/pages',
      },
    });
    expect(summary.pages[3]).toMatchObject({
      url: 'https://example.test/status',
      status_code: 503,
      issues_count: 0,
    });
    expect(summary.pages[2]?.url).toBe('https://shop.example.test:8443/カート/checkout');
    const text = JSON.stringify(summary);
    for (const secret of ['artifacts/', '.png', '.html', 'set-cookie', 'REDACTED:set-cookie'])
      expect(text).not.toContain(secret);
  });

  it('refuses a run that is not completed', () => {
    expect(() =>
      buildReportSummary({ run: completedRun({ status: 'failed' }), pages: [], issues: [] }),
    ).toThrow(/failed: no report/);
  });

  it('names deterministic keys and the content types', () => {
    expect(reportKey(12, 'json')).toBe('reports/scan-runs/12/report.json');
    expect(reportKey(12, 'sarif')).toBe('reports/scan-runs/12/report.sarif');
    expect(REPORT_CONTENT_TYPES).toEqual({ json: 'application/json', sarif: 'application/sarif+json' });
  });
});
