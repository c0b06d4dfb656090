import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../lib/domain/accounts.ts';
import { INLINE_MAX_BYTES } from '../../../lib/domain/report-delivery.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { validateSarif } from '../../support/sarif-validator.ts';
import { issue } from '../../support/scanner-fixtures.ts';
import { accountWithProject, reportSettled, scannerPostback } from '../../support/scenario.ts';

/**
 * The scan report end to end on the local stack, dispatcher running (issue 13, item 3): a completed
 * run's report goes pending → ready, GET …/report answers the JSON summary and the SARIF log (which
 * Microsoft's validator passes, GitHub rules included), a large one by redirect to an expiring URL of
 * the stored document; a failed run has no report and says why; another account's run is 404.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let acct: Awaited<ReturnType<typeof accountWithProject>>;
let other: Awaited<ReturnType<typeof accountWithProject>>;
let post: ReturnType<typeof scannerPostback>;

const page = (url: string, statusCode: number, issues: ReturnType<typeof issue>[], pageType = 'article') => ({
  page: { url, normalizedUrl: url, statusCode, pageType, responseHeaders: { 'set-cookie': 'sid=abc' } },
  artifacts: { screenshotPath: 'artifacts/run/shot.png', htmlSnapshotPath: 'artifacts/run/page.html' },
  issues,
});

beforeAll(async () => {
  stack = await startTestStack({ workers: true });
  api = apiClient(stack.apiUrl);
  acct = await accountWithProject(stack.db, api, { credits: 20 });
  other = await accountWithProject(stack.db, api, { credits: 2 });
  post = scannerPostback(api);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** GET the report as a client that does not follow redirects, the body as text. */
async function getReport(id: number, query = '', token = acct.token) {
  const res = await fetch(`${stack.apiUrl}/api/scan-runs/${id}/report${query}`, {
    headers: { Authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function completedRun(pages: ReturnType<typeof page>[]) {
  const id = await acct.newScanRun();
  const res = await post({ scanRunId: id, status: 'completed', pages }, `k-${Math.random()}`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return id;
}

describe('the scan report', () => {
  let runId: number;

  it('a completed run: report pending, then ready', async () => {
    runId = await completedRun([
      page('https://example.test/', 200, [
        issue(0, { fingerprint: 'csp-missing-home', severity: 'critical' }),
        issue(1, {
          fingerprint: 'cookie-secure-home',
          type: 'Cookie without Secure flag',
          category: 'privacy',
          severity: 'medium',
          title: 'Session cookie [sid](https://evil.test) ohne Secure — ünïcødé 😀',
          description: `Long description ${'ü'.repeat(5_000)}`,
          suggestedRemediation: 'Set the Secure attribute.',
          screenshotPath: 'artifacts/run/cookie.png',
        }),
      ]),
      page('https://shop.example.test:8443/カート', 200, [
        issue(2, {
          fingerprint: 'alt-text-cart',
          type: 'a11y.image-alt',
          category: 'accessibility',
          severity: 'low',
        }),
        issue(3, {
          fingerprint: 'banner-cart',
          type: 'server_banner',
          category: 'best_practices',
          severity: 'info',
        }),
      ]),
      page('https://example.test/status', 503, [], 'error'),
    ]);
    const { run, seen } = await reportSettled(api, acct.token, runId);
    expect(['pending', 'ready']).toContain(seen[0]); // the dispatcher may have been faster than the first read
    expect(seen.at(-1)).toBe('ready');
    expect(run).toMatchObject({ status: 'completed', report_status: 'ready', report_error: null });
  });

  it('GET …/report (json by default): the summary with counters, delta, findings by severity and pages', async () => {
    const res = await getReport(runId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect((await getReport(runId, '?format=json')).text).toBe(res.text);
    const summary = JSON.parse(res.text);
    expect(summary).toMatchObject({
      report_version: 1,
      scan_run_id: runId,
      project_id: acct.projectId,
      status: 'completed',
      // The findings reaction runs first: the report carries the run's delta.
      findings_delta: { new: 4, fixed: 0, reopened: 0, unchanged: 0, not_rechecked: 0 },
      findings_by_severity: { critical: 1, high: 0, medium: 1, low: 1, info: 1 },
      issues_count: 4,
      pages_count: 3,
    });
    expect(summary.counters).toMatchObject({ pages_scanned: 3, issues_count: 4 });
    expect(summary.pages.map((p: any) => [p.url, p.status_code, p.issues_count])).toEqual([
      ['https://example.test/', 200, 2],
      ['https://shop.example.test:8443/カート', 200, 2],
      ['https://example.test/status', 503, 0],
    ]);
    expect(res.text).not.toMatch(/artifacts\/|set-cookie|sid=abc/);
  });

  it('GET …/report?format=sarif: application/sarif+json that the validator passes, GitHub rules included', async () => {
    const res = await getReport(runId, '?format=sarif');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/sarif+json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const log = JSON.parse(res.text);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.results.map((r: any) => [r.partialFingerprints['webriskopsFingerprint/v1'], r.level])).toEqual(
      [
        ['csp-missing-home', 'error'],
        ['cookie-secure-home', 'warning'],
        ['alt-text-cart', 'note'],
        ['banner-cart', 'note'],
      ],
    );
    expect(run.results[2].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'shop.example.test_8443/%E3%82%AB%E3%83%BC%E3%83%88',
    );
    expect(res.text).not.toMatch(/artifacts\/|cookie\.png|set-cookie/);
    expect(await validateSarif(res.text)).toEqual([]);
  }, 180_000);

  it('another account: 404 as for the run; a token without scan_runs:read: 403; a bad format: 422', async () => {
    const theirs = await getReport(runId, '', other.token);
    expect(theirs.status).toBe(404);
    expect(JSON.parse(theirs.text).error.code).toBe('NOT_FOUND');
    const narrow = (await createToken(stack.db, { accountId: acct.accountId, scopes: ['projects:read'] }))
      .api_token;
    expect((await getReport(runId, '', narrow)).status).toBe(403);
    const bad = await getReport(runId, '?format=xml');
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text).error.details[0].field).toBe('format');
  });

  it('a failed run: no report, and the answer says the run failed', async () => {
    const id = await acct.newScanRun();
    const res = await post(
      {
        scanRunId: id,
        status: 'failed',
        error: { code: 'CRAWL_TIMEOUT', message: 'The site did not answer.' },
      },
      `f-${id}`,
    );
    expect(res.status).toBe(202);
    const run = await api('GET', `/api/scan-runs/${id}`, { token: acct.token });
    expect(run.body).toMatchObject({ status: 'failed', report_status: 'unavailable', report_error: null });
    for (const format of ['json', 'sarif']) {
      const report = await getReport(id, `?format=${format}`);
      expect(report.status).toBe(409);
      expect(JSON.parse(report.text).error).toMatchObject({
        code: 'SCAN_RUN_NOT_COMPLETED',
        message: `Scan run ${id} failed (CRAWL_TIMEOUT): a failed run has no report.`,
      });
    }
  });

  it('a queued run: 409, not completed yet', async () => {
    const id = await acct.newScanRun();
    const report = await getReport(id);
    expect(report.status).toBe(409);
    expect(JSON.parse(report.text).error.code).toBe('SCAN_RUN_NOT_COMPLETED');
  });

  it('a report over 2 MiB: 303 to an expiring URL of the stored document, served without credentials', async () => {
    // 300 issues of ~9 KB each: a SARIF log of about 3 MB, over what a Lambda answer carries safely.
    const issues = Array.from({ length: 300 }, (_, i) =>
      issue(i, {
        fingerprint: `large-${String(i).padStart(4, '0')}`,
        description: `${i} ${'long text '.repeat(900)}`,
      }),
    );
    const id = await completedRun([page('https://example.test/big', 200, issues)]);
    const { run } = await reportSettled(api, acct.token, id);
    expect(run.report_status).toBe('ready');
    const res = await getReport(id, '?format=sarif');
    expect(res.status).toBe(303);
    expect(res.text).toBe('');
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin).not.toBe(new URL(stack.apiUrl).origin);
    const stored = await fetch(location); // no Authorization: the URL is the credential
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('application/sarif+json');
    const text = await stored.text();
    expect(Buffer.byteLength(text)).toBeGreaterThan(INLINE_MAX_BYTES);
    expect(JSON.parse(text).runs[0].results).toHaveLength(300);
    // The summary of the same run is small: answered inline.
    expect((await getReport(id)).status).toBe(200);
    // The URL is signed: changing it is refused.
    location.searchParams.set('X-Wro-Content-Type', 'text/html');
    expect((await fetch(location)).status).toBe(403);
  }, 60_000);
});
