import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/db/keys.ts';
import {
  type IssueRecord,
  listRunIssues,
  listRunPages,
  type PageRecord,
  readRunIssuesByFingerprint,
} from '../../../lib/db/scan-results-store.ts';
import { getScanRun, type ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { planScannerResult } from '../../../lib/domain/scanner-ingest.ts';
import { parseOrThrow } from '../../../lib/schemas/parse.ts';
import { ScannerResultSchema } from '../../../lib/schemas/scanner-results.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { issue, pageEntry } from '../../support/scanner-fixtures.ts';
import { accountWithProject, partitionCounts, scannerPostback } from '../../support/scenario.ts';

/**
 * A postback large enough to be spread over several partitions (docs/scanner-results.md, "Storage
 * with exactly-once effect"), through the real ingest path on DynamoDB Local: where its items land,
 * that every list and the export's lookup find each of them once, and that a retry rewrites the same
 * keys.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const PAGES = 125;
const ISSUES_PER_PAGE = 12;
// ~2.6 KB of evidence: 3 write units an issue, 1,500 issues and 125 pages: ~4,600 units, 3 shards.
const EVIDENCE = 'Header Content-Security-Policy absent on this response. '.repeat(45);

function largePostback(scanRunId: number) {
  return {
    scanRunId,
    status: 'completed',
    pages: Array.from({ length: PAGES }, (_, p) => ({
      ...pageEntry(p, 0),
      issues: Array.from({ length: ISSUES_PER_PAGE }, (_, i) =>
        issue(p * ISSUES_PER_PAGE + i, { evidence: EVIDENCE }),
      ),
    })),
  };
}

async function everyItem<T>(
  list: (cursor?: string) => Promise<{ kind: string; items?: T[]; nextCursor?: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    if (page.kind !== 'page') throw new Error('invalid cursor');
    all.push(...(page.items ?? []));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe('a postback spread over several partitions', () => {
  let id: number;
  let token: string;
  let run: ScanRunItem;
  const fingerprints = Array.from({ length: PAGES * ISSUES_PER_PAGE }, (_, n) => issue(n).fingerprint).sort();

  it('lands in S partitions; a retry after a crash before the commit rewrites the same keys', async () => {
    const account = await accountWithProject(stack.db, api);
    token = account.token;
    id = await account.newScanRun();
    const body = largePostback(id);
    const crashed = planScannerResult(
      stack.db,
      parseOrThrow(ScannerResultSchema(), body),
      await getScanRun(stack.db, id, true),
      {
        afterItemsWritten: async () => {
          throw new Error('simulated crash before commit');
        },
      },
    );
    await expect(crashed).rejects.toThrow('simulated crash');
    const written = await partitionCounts(stack.db, id);

    const post = scannerPostback(api);
    const res = await post(gzipSync(JSON.stringify(body)), 'sharded', { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: false });
    run = (await getScanRun(stack.db, id, true)) as ScanRunItem;
    const shards = run.result_shards as number;
    expect(shards).toBe(3);

    const counts = await partitionCounts(stack.db, id);
    expect(counts).toEqual(written); // the retry wrote the same keys: no new items
    expect([...counts.keys()].sort()).toEqual(
      Array.from({ length: shards }, (_, k) => keys.scanRunPartition(id, k)).sort(),
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(1 + PAGES + PAGES * ISSUES_PER_PAGE);
    // Pages evenly (i mod S), issues by hash: every shard holds about a third of the items.
    for (const n of counts.values()) expect(n).toBeGreaterThan(total / shards / 2);

    const again = await post(body, 'sharded-late');
    expect(again.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: true });
    expect(await partitionCounts(stack.db, id)).toEqual(counts);
  }, 120_000);

  it('lists every page once, in order, whatever the page size', async () => {
    for (const limit of [1, 7, 50, 200]) {
      const pages = await everyItem<PageRecord>((cursor) => listRunPages(stack.db, run, { limit, cursor }));
      expect(pages.map((p) => p.index)).toEqual(Array.from({ length: PAGES }, (_, i) => i));
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api(
        'GET',
        `/api/scan-runs/${id}/pages?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token,
        },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p: { index: number }) => p.index));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: PAGES }, (_, i) => i));
  });

  it('lists every issue once, in fingerprint order, with and without a severity filter', async () => {
    for (const limit of [7, 50, 200]) {
      const issues = await everyItem<IssueRecord>((cursor) =>
        listRunIssues(stack.db, run, { limit, cursor }),
      );
      expect(issues.map((i) => i.fingerprint)).toEqual(fingerprints);
    }
    const severityOf = (n: number) => issue(n).severity;
    for (const severity of ['critical', 'info'] as const) {
      const expected = fingerprints.filter((fp) => severityOf(Number(fp.slice(3))) === severity);
      const listed = await everyItem<IssueRecord>((cursor) =>
        listRunIssues(stack.db, run, { limit: 50, cursor, severity }),
      );
      expect(listed.map((i) => i.fingerprint)).toEqual(expected);
      expect(listed).toHaveLength(300);
    }
    const page = await api('GET', `/api/scan-runs/${id}/issues?severity=high&limit=100`, { token });
    expect(page.body.items).toHaveLength(100);
    expect(page.body.items.every((i: { severity: string }) => i.severity === 'high')).toBe(true);
  });

  it('refuses cursors of another partition or list with 422, not 500', async () => {
    const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const bad of [
      forged({ pk: keys.scanRunPartition(id, 1), sk: `PAGE#${run.ingest_id}#000003` }),
      forged({ pk: keys.scanRunPartition(id), sk: `PAGE#${run.ingest_id}#${'9'.repeat(1100)}` }),
      forged({ pk: keys.scanRunPartition(id), sk: `PAGE#${run.ingest_id}#\ud800` }),
    ]) {
      expect(bad.length).toBeLessThanOrEqual(2048); // what the query's schema lets through
      const res = await api('GET', `/api/scan-runs/${id}/pages?cursor=${bad}`, { token });
      expect(res.status, bad).toBe(422);
      expect(res.body.error.details[0].field).toBe('cursor');
    }
  });

  it('finds issues by fingerprint in every shard (export preparation)', async () => {
    const found = await readRunIssuesByFingerprint(stack.db, run, [...fingerprints, 'fp-not-stored']);
    expect([...found.keys()].sort()).toEqual(fingerprints);
    expect(found.get(fingerprints[0] as string)).toMatchObject({
      fingerprint: fingerprints[0],
      evidence: EVIDENCE,
    });
  });

  it('a small postback still writes the run partition alone', async () => {
    const account = await accountWithProject(stack.db, api);
    const small = await account.newScanRun();
    const body = { scanRunId: small, status: 'completed', pages: [pageEntry(0, 2), pageEntry(1, 2)] };
    expect((await scannerPostback(api)(body, 'small')).status).toBe(202);
    expect(await partitionCounts(stack.db, small)).toEqual(
      new Map([[keys.scanRunPartition(small), 1 + 2 + 4]]),
    );
    expect((await getScanRun(stack.db, small, true))?.result_shards).toBe(1);
  });
});
