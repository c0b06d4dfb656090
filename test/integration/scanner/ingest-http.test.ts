import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount } from '../../../lib/db/accounts-store.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';
import { DOCUMENTED_CURL_BODY, issue, multiPage } from '../../support/scanner-fixtures.ts';
import { accountWithProject, partitionCount } from '../../support/scenario.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const scanner = { 'X-Scanner-Secret': TEST_SCANNER_SECRET, Accept: 'application/json' };
const post = (body: unknown, key = `k-${Math.random()}`, headers: Record<string, string> = scanner) =>
  typeof body === 'string'
    ? api('POST', '/api/scanner/results', {
        rawBody: body,
        headers: { ...headers, 'Content-Type': 'application/json' },
        idempotencyKey: key,
      })
    : api('POST', '/api/scanner/results', { body, headers, idempotencyKey: key });

describe('POST /api/scanner/results', () => {
  it('accepts the documented cURL request as written (202) and stores the page', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const res = await post(DOCUMENTED_CURL_BODY(id), 'scan-run-example-123-attempt-1');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: false });
    const run = await api('GET', `/api/scan-runs/${id}`, { token });
    // No dispatcher in this file: the report stays pending (scan-report.test.ts watches it get ready).
    expect(run.body).toMatchObject({ status: 'completed', report_status: 'pending', report_error: null });
    const report = await api('GET', `/api/scan-runs/${id}/report`, { token });
    expect(report.status).toBe(409);
    expect(report.body.error.code).toBe('REPORT_NOT_READY');
    expect(report.headers.get('retry-after')).toBe('2');
    expect(run.body.counters).toMatchObject({
      pages_scanned: 1,
      issues_count: 0,
      risk_score: 0,
      source: 'derived',
    });
    const pages = await api('GET', `/api/scan-runs/${id}/pages`, { token });
    expect(pages.body.items).toHaveLength(1);
    expect(pages.body.items[0]).toMatchObject({
      url: 'https://example.test',
      normalized_url: 'https://example.test/',
      status_code: 200,
      page_type: 'home',
      artifacts: { screenshot_path: 'artifacts/example-home.png', html_snapshot_path: null },
    });
  });

  it('accepts a multi-page payload with counters: scanner totals win, derived otherwise', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const withTotals = await newScanRun();
    const body = multiPage(withTotals, 3, 4, {
      counters: { pagesScanned: 40, issuesCount: 99, highCount: 7, riskScore: 55 },
    });
    expect((await post(body)).status).toBe(202);
    const run = await api('GET', `/api/scan-runs/${withTotals}`, { token });
    expect(run.body.counters).toMatchObject({
      pages_scanned: 40,
      issues_count: 99,
      high_count: 7,
      risk_score: 55,
      source: 'scanner',
    });
    expect(run.body.counters.critical_count).toBe(3); // not sent: derived (12 issues, every 5th critical)

    const derived = await newScanRun();
    expect((await post(multiPage(derived, 2, 5))).status).toBe(202);
    const r2 = await api('GET', `/api/scan-runs/${derived}`, { token });
    // 10 issues: 2 of each severity at confidence 80 → 2×(40+20+8+2+0)×0.8 = 112 → capped at 100.
    expect(r2.body.counters).toMatchObject({
      pages_scanned: 2,
      issues_count: 10,
      critical_count: 2,
      info_count: 2,
      risk_score: 100,
      source: 'derived',
    });
  });

  it('stores a fingerprint repeated within a run once', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const body = multiPage(id, 2, 1);
    body.pages[1]!.issues = [issue(0)]; // same fingerprint as page 0's issue
    expect((await post(body)).status).toBe(202);
    const issues = await api('GET', `/api/scan-runs/${id}/issues`, { token });
    expect(issues.body.items.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(['fp-000000']);
  });

  it('marks a failed scan failed, restores its credit, and keeps the error sanitized', async () => {
    const { accountId, token, newScanRun } = await accountWithProject(stack.db, api, { credits: 5 });
    const id = await newScanRun();
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(4);
    const secret = ['gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    const res = await post({
      scanRunId: id,
      status: 'failed',
      error: {
        code: 'CRAWL_TIMEOUT',
        message: `login failed with ${secret}`,
        url: 'https://example.test/login',
        timeoutMs: 30000,
      },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ scan_run_id: id, status: 'failed', duplicate: false });
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(5);
    const run = await api('GET', `/api/scan-runs/${id}`, { token });
    expect(run.body).toMatchObject({ status: 'failed', report_status: 'unavailable' });
    expect(run.body.error).toEqual({
      code: 'CRAWL_TIMEOUT',
      message: 'login failed with [REDACTED:github_token]',
      url: 'https://example.test/login',
      timeout_ms: 30000,
    });
  });

  it('answers 202 and writes nothing for a run that is already terminal', async () => {
    const { newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    expect((await post(multiPage(id, 1, 1))).status).toBe(202);
    const before = await partitionCount(stack.db, id);
    const again = await post(multiPage(id, 3, 3));
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: true });
    expect(await partitionCount(stack.db, id)).toBe(before);
    const failed = await post({ scanRunId: id, status: 'failed', error: { code: 'X', message: 'late' } });
    expect(failed.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: true });
  });

  it('refuses unknown runs, bad secrets, non-JSON and oversized bodies with the documented codes', async () => {
    const unknown = await post(DOCUMENTED_CURL_BODY(987654321));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('SCAN_RUN_NOT_FOUND');
    const noSecret = await post(DOCUMENTED_CURL_BODY(1), 'k', { Accept: 'application/json' });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error.code).toBe('UNAUTHORIZED');
    const wrong = await post(DOCUMENTED_CURL_BODY(1), 'k', { 'X-Scanner-Secret': 'wrong-secret-value-123' });
    expect(wrong.status).toBe(401);
    const text = await api('POST', '/api/scanner/results', {
      rawBody: 'scanRunId=1',
      headers: { ...scanner, 'Content-Type': 'text/plain' },
      idempotencyKey: 't',
    });
    expect(text.status).toBe(415);
    const big = await post({ scanRunId: 1, status: 'completed', padding: 'x'.repeat(6 * 1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    const invalid = await post({ scanRunId: '123', status: 'completed' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps secrets from the payload out of everything the read endpoints return', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const secrets = {
      aws: ['AK', 'IA', 'QWERTYUIOPASDFGH'].join(''),
      stripe: ['sk', '_live_', 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2'].join(''),
      password: ['Hunt', 'er2!xQ9z'].join(''),
      cookie: ['sess', 'ion=9f8e7d6c5b4a'].join(''),
      bearer: ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.'),
    };
    const body = multiPage(id, 1, 1);
    Object.assign(body.pages[0]!.page.responseHeaders, {
      'Set-Cookie': secrets.cookie,
      Authorization: `Bearer ${secrets.bearer}`,
    });
    Object.assign(body.pages[0]!.issues[0]!, {
      evidence: `config leaked: AWS_ACCESS_KEY_ID=${secrets.aws} and STRIPE_KEY=${secrets.stripe}`,
      description: `The admin password="${secrets.password}" is in the page source`,
      reproductionSteps: ['open /debug', `login with token ${secrets.bearer}`],
      suggestedRemediation: `Rotate ${secrets.stripe}`,
      businessImpact: `Anyone can use ${secrets.aws}`,
    });
    expect((await post(body)).status).toBe(202);
    const everything = JSON.stringify([
      (await api('GET', `/api/scan-runs/${id}`, { token })).body,
      (await api('GET', `/api/scan-runs/${id}/pages`, { token })).body,
      (await api('GET', `/api/scan-runs/${id}/issues`, { token })).body,
    ]);
    for (const s of Object.values(secrets)) expect(everything).not.toContain(s);
    expect(everything).toContain('[REDACTED:aws_access_key_id]');
    expect(everything).toContain('[REDACTED:set_cookie]');
    expect(everything).toContain('[REDACTED:stripe_key]');
  });

  it('paginates pages and issues with cursors, filters issues by severity, and hides other accounts’ runs', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const other = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    expect((await post(multiPage(id, 7, 3))).status).toBe(202);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api(
        'GET',
        `/api/scan-runs/${id}/pages?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p: { index: number }) => p.index));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const high = await api('GET', `/api/scan-runs/${id}/issues?severity=high&limit=100`, { token });
    expect(high.body.items.length).toBeGreaterThan(0);
    expect(high.body.items.every((i: { severity: string }) => i.severity === 'high')).toBe(true);
    expect((await api('GET', `/api/scan-runs/${id}/issues?severity=urgent`, { token })).status).toBe(422);
    const exact = await api('GET', `/api/scan-runs/${id}/pages?limit=7`, { token });
    expect(exact.body.items).toHaveLength(7);
    expect(exact.body.next_cursor).toBeNull();
    const highOnly: string[] = [];
    cursor = null;
    do {
      const res: any = await api(
        'GET',
        `/api/scan-runs/${id}/issues?severity=high&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      highOnly.push(...res.body.items.map((i: { fingerprint: string }) => i.fingerprint));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(highOnly).toEqual(high.body.items.map((i: { fingerprint: string }) => i.fingerprint));
    const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const bad of [
      'not-a-cursor',
      forged({ pk: `SCANRUN#${id}` }),
      forged({ pk: `SCANRUN#${id}`, sk: 'SCANRUN' }),
      forged({ pk: `SCANRUN#${id}`, sk: 'PAGE#x', gsi1pk: 'y' }),
      forged({ pk: 'SCANRUN#1', sk: 'PAGE#x' }),
    ]) {
      const res = await api('GET', `/api/scan-runs/${id}/pages?cursor=${bad}`, { token });
      expect(res.status, bad).toBe(422);
      expect(res.body.error.details[0].field).toBe('cursor');
    }
    for (const path of ['', '/pages', '/issues']) {
      expect((await api('GET', `/api/scan-runs/${id}${path}`, { token: other.token })).status).toBe(404);
    }
  });
});
