import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/db/keys.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { issue } from '../../support/scanner-fixtures.ts';
import { accountWithProject, scannerPostback } from '../../support/scenario.ts';

/**
 * A run's pages and issues filtered by what they hold and by their findings' lifecycle, on the local
 * stack with the dispatcher running (docs/scanner-results.md, "Reading results"): run 1 has P1 with
 * A (high, security) and B (low, seo), P2 with C (high, privacy), P3 with nothing; run 2 rescans P1
 * without A (A fixed), P2 with C, P3 with D (critical, security, new).
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let acct: Awaited<ReturnType<typeof accountWithProject>>;
let post: ReturnType<typeof scannerPostback>;

const P1 = 'https://example.test/f/p1';
const P2 = 'https://example.test/f/p2';
const P3 = 'https://example.test/f/p3';
const A = { fingerprint: 'filter-A-0001', severity: 'high', category: 'security' };
const B = { fingerprint: 'filter-B-0002', severity: 'low', category: 'seo' };
const C = { fingerprint: 'filter-C-0003', severity: 'high', category: 'privacy' };
const D = { fingerprint: 'filter-D-0004', severity: 'critical', category: 'security' };

const page = (url: string, issues: Record<string, string>[]) => ({
  page: { url, normalizedUrl: url, statusCode: 200, pageType: 'article', responseHeaders: {} },
  artifacts: { screenshotPath: 'artifacts/x.png' },
  issues: issues.map((over, i) => issue(i, over)),
});

beforeAll(async () => {
  stack = await startTestStack({ workers: true });
  api = apiClient(stack.apiUrl);
  acct = await accountWithProject(stack.db, api, { credits: 5 });
  post = scannerPostback(api);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function completedRun(pages: ReturnType<typeof page>[]): Promise<number> {
  const id = await acct.newScanRun();
  const res = await post({ scanRunId: id, status: 'completed', pages }, `k-${Math.random()}`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 300; i++) {
    const run = await api('GET', `/api/scan-runs/${id}`, { token: acct.token });
    if (run.body.findings_status === 'applied') return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} was not applied to its findings`);
}

/** Every item of a filtered list, following next_cursor; fingerprints of issues, URLs of pages. */
async function list(path: string, limit = 1): Promise<string[]> {
  const out: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; body: any } = await api(
      'GET',
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      {
        token: acct.token,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.items.map((i: Record<string, string>) => i.fingerprint ?? i.url));
    cursor = res.body.next_cursor;
  }
  return out;
}

describe("a run's pages and issues, filtered", () => {
  let run1: number;
  let run2: number;

  it('pages by the severity and category of an issue they carried; the index never shows', async () => {
    run1 = await completedRun([page(P1, [A, B]), page(P2, [C]), page(P3, [])]);
    const pages = `/api/scan-runs/${run1}/pages`;
    expect(await list(pages)).toEqual([P1, P2, P3]);
    expect(await list(`${pages}?severity=high`)).toEqual([P1, P2]);
    expect(await list(`${pages}?category=seo`)).toEqual([P1]);
    expect(await list(`${pages}?severity=high&category=privacy`)).toEqual([P2]);
    // One issue of both: P1 has a high one (A) and an seo one (B), but no high seo issue.
    expect(await list(`${pages}?severity=high&category=seo`)).toEqual([]);
    const one = await api('GET', `${pages}?limit=1`, { token: acct.token });
    expect(Object.keys(one.body.items[0]).filter((k) => k.startsWith('issue'))).toEqual(['issues_count']);
  });

  it("issues and pages by their findings' state and triage now", async () => {
    run2 = await completedRun([page(P1, [B]), page(P2, [C]), page(P3, [D])]);
    expect(await list(`/api/scan-runs/${run2}/issues?state=open`, 2)).toEqual(
      [B, C, D].map((i) => i.fingerprint),
    );
    expect(await list(`/api/scan-runs/${run2}/issues?state=fixed`)).toEqual([]);
    // Run 1's issues as they stand now: A was fixed by run 2.
    expect(await list(`/api/scan-runs/${run1}/issues?state=fixed`)).toEqual([A.fingerprint]);
    expect(await list(`/api/scan-runs/${run1}/pages?state=fixed`)).toEqual([P1]);
    expect(await list(`/api/scan-runs/${run1}/pages?state=open`)).toEqual([P1, P2]);
    expect(await list(`/api/scan-runs/${run1}/issues?state=open&severity=high`)).toEqual([C.fingerprint]);

    const dismissed = await api('PUT', `/api/projects/${acct.projectId}/findings/${C.fingerprint}/triage`, {
      token: acct.token,
      body: { status: 'dismissed', reason: 'accepted_risk' },
    });
    expect(dismissed.status).toBe(200);
    expect(await list(`/api/scan-runs/${run2}/issues?triage=dismissed`)).toEqual([C.fingerprint]);
    expect(await list(`/api/scan-runs/${run2}/issues?triage=none&state=open`)).toEqual(
      [B, D].map((i) => i.fingerprint),
    );
    expect(await list(`/api/scan-runs/${run2}/pages?triage=dismissed`)).toEqual([P2]);
    // The fingerprint link, with a filter it does not pass: no item.
    const link = await api('GET', `/api/scan-runs/${run2}/issues?fingerprint=${C.fingerprint}&triage=none`, {
      token: acct.token,
    });
    expect(link.body).toEqual({ items: [], next_cursor: null });
  });

  it('a bad filter is 422 naming it', async () => {
    for (const [path, field] of [
      [`/api/scan-runs/${run1}/pages?state=closed`, 'state'],
      [`/api/scan-runs/${run1}/pages?severity=urgent`, 'severity'],
      [`/api/scan-runs/${run1}/issues?triage=maybe`, 'triage'],
    ] as const) {
      const res = await api('GET', path, { token: acct.token });
      expect(res.status, path).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
  });

  it('a run stored before pages carried their index: its pages list, but cannot be filtered, and says so', async () => {
    await stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.table,
        Key: keys.scanRun(run1),
        UpdateExpression: 'REMOVE pages_indexed',
      }),
    );
    try {
      expect(await list(`/api/scan-runs/${run1}/pages`)).toEqual([P1, P2, P3]);
      const res = await api('GET', `/api/scan-runs/${run1}/pages?severity=high&state=open`, {
        token: acct.token,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['severity', 'state']);
      // Its issues filter as before.
      expect(await list(`/api/scan-runs/${run1}/issues?severity=high`)).toEqual(
        [A, C].map((i) => i.fingerprint),
      );
    } finally {
      await stack.db.doc.send(
        new UpdateCommand({
          TableName: stack.db.table,
          Key: keys.scanRun(run1),
          UpdateExpression: 'SET pages_indexed = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
    }
  });
});
