import type { IssueRecord, PageRecord } from '../../lib/db/scan-results-store.ts';
import type { ScanRunItem } from '../../lib/db/scan-runs-store.ts';
import type { ReportInput } from '../../lib/domain/scan-report.ts';
import type { Severity } from '../../lib/schemas/scan-vocabulary.ts';

/** A completed scan run as the store answers it (its report pending), for the run view's and report's tests. */
export function scanRunItem(over: Partial<ScanRunItem> = {}): ScanRunItem {
  return {
    id: 9,
    account_id: 'acc_1',
    project_id: 'prj_0123456789abcdef01234567',
    status: 'completed',
    credit_reserved: true,
    counters: null,
    error: null,
    report_status: 'pending',
    report_error: null,
    temp_prefix: 'tmp/scan-runs/9/',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    completed_at: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** Records of a committed run as the stores answer them, for the report builders' tests. */
export function pageRecord(index: number, over: Partial<PageRecord> = {}): PageRecord {
  return {
    index,
    url: `https://example.test/p/${index}`,
    normalized_url: `https://example.test/p/${index}`,
    status_code: 200,
    page_type: 'article',
    response_headers: { 'set-cookie': '[REDACTED:set-cookie]' },
    console_errors_count: null,
    network_errors_count: null,
    artifacts: {
      screenshot_path: `artifacts/run/p${index}.png`,
      html_snapshot_path: `artifacts/run/p${index}.html`,
    },
    issues_count: 0,
    ...over,
  };
}

export function issueRecord(fingerprint: string, over: Partial<IssueRecord> = {}): IssueRecord {
  return {
    fingerprint,
    category: 'security',
    type: 'missing_header',
    severity: 'high',
    title: 'Missing Content-Security-Policy',
    description: 'The response lacks a Content-Security-Policy header.',
    confidence: 80,
    evidence: 'Header Content-Security-Policy absent',
    business_impact: null,
    suggested_remediation: null,
    reproduction_steps: null,
    screenshot_path: `artifacts/run/${fingerprint}.png`,
    page_url: 'https://example.test/p/0',
    page_index: 0,
    ...over,
  };
}

export const completedRun = (over: Partial<ReportInput['run']> = {}): ReportInput['run'] => ({
  id: 7,
  project_id: 'prj_0123456789abcdef01234567',
  status: 'completed',
  completed_at: '2026-01-02T03:04:05.000Z',
  counters: {
    pages_scanned: 3,
    issues_count: 5,
    critical_count: 1,
    high_count: 1,
    medium_count: 1,
    low_count: 1,
    info_count: 1,
    risk_score: 70,
    source: 'derived',
  },
  ...over,
});

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * A realistic run: several pages (one answering 503, one on another host with a port and a query),
 * several issue types and categories, every severity, unicode in every field, long text, text that
 * looks like SARIF link and placeholder syntax, control and bidi characters, a redaction marker.
 */
export function realisticRun(): ReportInput {
  const pages = [
    pageRecord(0, {
      url: 'https://example.test/',
      normalized_url: 'https://example.test/',
      page_type: 'home',
    }),
    pageRecord(1, {
      url: 'https://example.test/login?next=%2Faccount',
      normalized_url: 'https://example.test/login',
      page_type: 'login',
    }),
    pageRecord(2, {
      url: 'https://shop.example.test:8443/カート/checkout',
      normalized_url: 'https://shop.example.test:8443/%E3%82%AB%E3%83%BC%E3%83%88/checkout',
      page_type: 'checkout',
    }),
    pageRecord(3, { url: 'https://example.test/status', status_code: 503, page_type: 'error' }),
  ];
  const long = 'Very long evidence line with ünïcødé — ✓ 😀 '.repeat(400);
  const issues: IssueRecord[] = [
    issueRecord('csp-missing-home', { page_url: pages[0]!.url, page_index: 0, severity: 'critical' }),
    issueRecord('csp-missing-login', {
      page_url: pages[1]!.url,
      page_index: 1,
      severity: 'high',
      suggested_remediation: "Send Content-Security-Policy: default-src 'self'.",
    }),
    issueRecord('cookie-secure-login', {
      type: 'Cookie without Secure flag',
      category: 'privacy',
      severity: 'medium',
      title: 'Session cookie [sid](https://evil.test) without Secure — {0} placeholder',
      description: `Cookie "sid" is sent over HTTP.\u202E txt.exe\u0007 token=[REDACTED:generic_secret]`,
      evidence: long,
      business_impact: 'Sessions can be hijacked on public Wi-Fi.',
      reproduction_steps: ['Open /login', 'Inspect Set-Cookie', 'See no Secure attribute'],
      page_url: pages[1]!.url,
      page_index: 1,
    }),
    issueRecord('alt-text-checkout', {
      type: 'a11y.image-alt',
      category: 'accessibility',
      severity: 'low',
      title: '画像に代替テキストがありません',
      description: '',
      confidence: 35,
      reproduction_steps: 'Open the checkout page and inspect the product images.',
      page_url: pages[2]!.url,
      page_index: 2,
    }),
    issueRecord('server-banner-home', {
      type: 'server_banner',
      category: 'best_practices',
      severity: 'info',
      title: 'Server banner discloses the version',
      description: 'd'.repeat(10_000),
      confidence: 99,
      page_url: pages[0]!.url,
      page_index: 0,
    }),
  ];
  // One more of each severity, spread over the types, so every level appears more than once.
  for (const [i, severity] of SEVERITIES.entries()) {
    issues.push(
      issueRecord(`extra-${i}-${severity}`, {
        severity,
        type: i % 2 ? 'missing_header' : 'Cookie without Secure flag',
        category: i % 2 ? 'security' : 'privacy',
        page_url: pages[i % 3]!.url,
        page_index: i % 3,
      }),
    );
  }
  return { run: completedRun(), pages, issues };
}
