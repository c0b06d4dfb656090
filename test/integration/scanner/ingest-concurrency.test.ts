import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount } from '../../../lib/db/accounts-store.ts';
import { getScanRun } from '../../../lib/db/scan-runs-store.ts';
import { planScannerResult } from '../../../lib/domain/scanner-ingest.ts';
import { parseOrThrow } from '../../../lib/schemas/parse.ts';
import { ScannerResultSchema } from '../../../lib/schemas/scanner-results.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { multiPage } from '../../support/scanner-fixtures.ts';
import { accountWithProject, partitionCount, scannerPostback } from '../../support/scenario.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const post = (body: unknown, key: string, headers?: Record<string, string>) =>
  scannerPostback(api)(body, key, headers);

async function allIssues(token: string, id: number) {
  const out: unknown[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await api(
      'GET',
      `/api/scan-runs/${id}/issues?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    out.push(...res.body.items);
    cursor = res.body.next_cursor;
  } while (cursor);
  return out;
}

describe('scanner ingestion under retries and concurrency', () => {
  it('20 concurrent identical postbacks with one key execute once and store identical data', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const body = multiPage(id, 5, 4);
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, 'same-attempt')));
    for (const r of responses) expect([202, 409]).toContain(r.status);
    const accepted = responses.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const r of accepted)
      expect(r.body).toEqual({ scan_run_id: id, status: 'completed', duplicate: false });
    expect(await partitionCount(stack.db, id)).toBe(1 + 5 + 20);
    expect(await allIssues(token, id)).toHaveLength(20);
  });

  it('20 concurrent postbacks with different keys and payloads for one run: exactly one is applied', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const bodies = Array.from({ length: 20 }, (_, i) => multiPage(id, 1 + (i % 4), 2));
    const responses = await Promise.all(bodies.map((b, i) => post(b, `attempt-${i}`)));
    expect(responses.map((r) => r.status).every((s) => s === 202)).toBe(true);
    const winners = responses.filter((r) => r.body.duplicate === false);
    expect(winners).toHaveLength(1);
    const winnerBody = bodies[responses.indexOf(winners[0]!)]!;
    const pages = await api('GET', `/api/scan-runs/${id}/pages?limit=100`, { token });
    expect(pages.body.items).toHaveLength(winnerBody.pages.length);
    expect(await allIssues(token, id)).toHaveLength(winnerBody.pages.length * 2);
    const run = await api('GET', `/api/scan-runs/${id}`, { token });
    expect(run.body.counters.pages_scanned).toBe(winnerBody.pages.length);
  });

  it('a crash between the batched writes and the commit, then a retry: complete, no duplicates', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const body = multiPage(id, 6, 3);
    const parsed = parseOrThrow(ScannerResultSchema(), body);
    await expect(
      planScannerResult(stack.db, parsed, await getScanRun(stack.db, id, true), {
        afterItemsWritten: async () => {
          throw new Error('simulated crash before commit');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect((await getScanRun(stack.db, id, true))?.status).toBe('queued');
    expect((await api('GET', `/api/scan-runs/${id}/pages`, { token })).body.items).toEqual([]);
    const retry = await post(body, 'after-crash');
    expect(retry.status).toBe(202);
    expect(retry.body.duplicate).toBe(false);
    expect(await partitionCount(stack.db, id)).toBe(1 + 6 + 18);
    expect(await allIssues(token, id)).toHaveLength(18);
  });

  it('restores the credit exactly once under duplicate and concurrent failed postbacks', async () => {
    const { accountId, newScanRun } = await accountWithProject(stack.db, api, { credits: 3 });
    const id = await newScanRun();
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(2);
    const failed = (n: number) => ({
      scanRunId: id,
      status: 'failed',
      error: { code: 'BLOCKED', message: `attempt ${n}` },
    });
    const responses = await Promise.all(Array.from({ length: 15 }, (_, i) => post(failed(i), `fail-${i}`)));
    expect(responses.every((r) => r.status === 202)).toBe(true);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect((await post(failed(0), 'fail-0')).headers.get('idempotent-replayed')).toBe('true');
    expect((await post(failed(99), 'fail-late')).body.duplicate).toBe(true);
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(3);
  });

  it('stores a 1,000-page × 10-issue postback completely, sent gzip-compressed through the gateway limits', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const text = JSON.stringify(multiPage(id, 1000, 10));
    const res = await post(gzipSync(text), 'big', { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect(await partitionCount(stack.db, id)).toBe(1 + 1000 + 10_000);
    const run = await api('GET', `/api/scan-runs/${id}`, { token });
    expect(run.body.counters).toMatchObject({ pages_scanned: 1000, issues_count: 10_000 });
  }, 180_000);
});

describe('property: mutated payloads never yield a 5xx nor a partial write', () => {
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  function mutate(body: any, path: (string | number)[], replacement: unknown) {
    const copy = structuredClone(body);
    if (path.length === 0) return replacement === undefined ? {} : replacement;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k];
    if (replacement === undefined) delete node[path.at(-1)!];
    else node[path.at(-1)!] = replacement;
    return copy;
  }

  it('answers 202 with everything stored, or 422 with nothing stored', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api, { credits: 1000 });
    const template = multiPage(1, 2, 2, { counters: { pagesScanned: 2 } });
    const allPaths = paths(template);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: allPaths.length - 1 }),
        fc.oneof(
          fc.constant(undefined),
          fc.jsonValue({ maxDepth: 2 }),
          fc.string(),
          fc.integer(),
          fc.double(),
        ),
        async (pathIndex, replacement) => {
          const id = await newScanRun();
          const path = allPaths[pathIndex]!;
          const body = mutate({ ...template, scanRunId: id }, path, replacement);
          const res = await post(body, `prop-${id}`);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          const run = await getScanRun(stack.db, id, true);
          if (res.status === 202 && res.body.scan_run_id === id) {
            expect(run?.status).toBe('completed');
            const pages = await api('GET', `/api/scan-runs/${id}/pages?limit=100`, { token });
            expect(pages.body.items.length).toBe(run?.counters ? (body.pages?.length ?? 1) : -1);
          } else {
            expect([202, 422]).toContain(res.status);
            expect(run?.status).toBe('queued');
            expect(await partitionCount(stack.db, id)).toBe(1);
          }
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
  }, 180_000);
});
