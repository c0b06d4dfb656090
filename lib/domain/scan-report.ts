import type { IssueRecord, PageRecord } from '../db/scan-results-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import type { ReportFormat } from '../schemas/scan-report.ts';
import { SEVERITIES, type Severity } from '../schemas/scan-vocabulary.ts';

/**
 * The scan report of a completed run (docs/scanner-results.md, "The scan report"): a JSON summary
 * (this file) and a SARIF 2.1.0 log of its issues (lib/domain/sarif-report.ts), both built from the
 * run's committed pages and issues by the dispatcher (lib/dispatch/reactions/scan-run-report.ts) and
 * stored in artifact storage under deterministic keys. Pure: the same committed run builds the same
 * bytes, so a replayed stream record rewrites identical documents.
 */

/** Media type each stored document is served with. */
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  sarif: 'application/sarif+json',
};

/** Where a run's report documents live in artifact storage (deterministic: one run, one key each). */
export const REPORT_PREFIX = 'reports/scan-runs/';
export function reportKey(scanRunId: number, format: ReportFormat): string {
  return `${REPORT_PREFIX}${scanRunId}/report.${format === 'json' ? 'json' : 'sarif'}`;
}

/** Bumped when the summary's shape changes. */
export const REPORT_SUMMARY_VERSION = 1;

export type SeverityCounts = Record<Severity, number>;

export interface ReportSummary {
  report_version: number;
  scan_run_id: number;
  project_id: string;
  status: 'completed';
  completed_at: string | null;
  /** The run's counters as committed (the scanner's totals where it sent them). */
  counters: ScanRunItem['counters'];
  /** What the run changed in its project's findings, when applied before the report was built. */
  findings_delta: ScanRunItem['findings_delta'] | null;
  /** The run's stored (distinct) issues by severity: counted here, whatever the scanner's totals say. */
  findings_by_severity: SeverityCounts;
  issues_count: number;
  pages_count: number;
  /** Every page of the run in payload order, with the issues attributed to it. */
  pages: {
    index: number;
    url: string;
    normalized_url: string;
    status_code: number;
    page_type: string;
    issues_count: number;
    issues_by_severity: SeverityCounts;
  }[];
  links: { sarif: string; issues: string; pages: string };
}

export const zeroSeverities = (): SeverityCounts =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;

/** What a report is built from: the committed run (read consistently) and all its pages and issues. */
export interface ReportInput {
  run: Pick<ScanRunItem, 'id' | 'project_id' | 'status' | 'completed_at' | 'counters' | 'findings_delta'>;
  pages: readonly PageRecord[];
  issues: readonly IssueRecord[];
}

/**
 * The JSON summary. Issues count on the page they were stored with (a fingerprint repeated on several
 * pages is stored once, with its first page); pages are in payload order. No artifact path (screenshot,
 * HTML snapshot) and no response header is copied: the summary holds counts, URLs and statuses only.
 */
export function buildReportSummary({ run, pages, issues }: ReportInput): ReportSummary {
  if (run.status !== 'completed') throw new Error(`scan run ${run.id} is ${run.status}: no report`);
  const bySeverity = zeroSeverities();
  const perPage = new Map<number, SeverityCounts>();
  for (const issue of issues) {
    bySeverity[issue.severity] += 1;
    const counts = perPage.get(issue.page_index) ?? zeroSeverities();
    counts[issue.severity] += 1;
    perPage.set(issue.page_index, counts);
  }
  const base = `/api/scan-runs/${run.id}`;
  return {
    report_version: REPORT_SUMMARY_VERSION,
    scan_run_id: run.id,
    project_id: run.project_id,
    status: 'completed',
    completed_at: run.completed_at,
    counters: run.counters,
    findings_delta: run.findings_delta ?? null,
    findings_by_severity: bySeverity,
    issues_count: issues.length,
    pages_count: pages.length,
    pages: [...pages]
      .sort((a, b) => a.index - b.index)
      .map((p) => {
        const counts = perPage.get(p.index) ?? zeroSeverities();
        return {
          index: p.index,
          url: p.url,
          normalized_url: p.normalized_url,
          status_code: p.status_code,
          page_type: p.page_type,
          issues_count: SEVERITIES.reduce((n, s) => n + counts[s], 0),
          issues_by_severity: counts,
        };
      }),
    links: { sarif: `${base}/report?format=sarif`, issues: `${base}/issues`, pages: `${base}/pages` },
  };
}
