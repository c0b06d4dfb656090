import { createHash } from 'node:crypto';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import type { ListOutcome } from '../../../lib/db/key-cursor.ts';
import { keys } from '../../../lib/db/keys.ts';
import { issueShard, pageShard } from '../../../lib/db/scan-result-shards.ts';
import {
  completedRunWrite,
  failedRunWrites,
  type IssueRecord,
  issueKind,
  listRunIssues,
  listRunPages,
  type PageRecord,
  readRunIssuesByFingerprint,
  type StoredPageRecord,
  shardedResultItems,
} from '../../../lib/db/scan-results-store.ts';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };
beforeEach(() => ddb.reset());

const cancelled = (first: { Code: string; Item?: Record<string, unknown> }) =>
  new TransactionCanceledException({
    message: 'x',
    $metadata: {},
    CancellationReasons: [
      { Code: first.Code, Item: first.Item ? marshall(first.Item) : undefined },
      { Code: 'None' },
    ],
  });

describe('run commits', () => {
  const run = { id: 7, account_id: 'acc_1' } as ScanRunItem;

  it('completion is one conditional update; a failed condition brings back the run someone else finished', async () => {
    const write = completedRunWrite(db, 7, { ingestId: 'ing', shards: 3 }, { pages_scanned: 1 }, 'now');
    const update = write.Update!;
    expect(update.Key).toEqual({ pk: 'SCANRUN#7', sk: 'SCANRUN' });
    expect(update.ConditionExpression).toBe('#status = :queued');
    expect(update.UpdateExpression).toContain('result_shards = :shards');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':completed': 'completed',
      ':ingest': 'ing',
      ':shards': 3,
      ':counters': { pages_scanned: 1 },
    });
    expect(update.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');

    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'x',
          $metadata: {},
          CancellationReasons: [
            { Code: 'ConditionalCheckFailed', Item: marshall({ id: 7, status: 'failed' }) },
          ],
        }),
      );
    expect(await commitWrites(db, [write])).toEqual({ kind: 'committed' });
    expect(await commitWrites(db, [write])).toEqual({
      kind: 'condition_failed',
      failures: [{ index: 0, code: 'ConditionalCheckFailed', item: { id: 7, status: 'failed' } }],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('failure is one transaction (run + credit); retried on a transaction conflict, refused once terminal', async () => {
    const writes = failedRunWrites(db, run, { code: 'X', message: 'm' }, 'now');
    expect(writes).toHaveLength(2);
    expect(writes[0]!.Update!.Key).toEqual({ pk: 'SCANRUN#7', sk: 'SCANRUN' });
    expect(writes[0]!.Update!.ConditionExpression).toContain('#status = :queued');
    expect(writes[0]!.Update!.ConditionExpression).toContain('credit_reserved = :true');
    expect(writes[0]!.Update!.UpdateExpression).toContain('credit_reserved = :false');
    expect(writes[0]!.Update!.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(writes[1]!.Update!.Key).toEqual({ pk: 'ACCOUNT#acc_1', sk: 'ACCOUNT' });
    expect(writes[1]!.Update!.UpdateExpression).toBe('SET scan_credits = scan_credits + :one');

    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled({ Code: 'TransactionConflict' }))
      .resolvesOnce({})
      .rejectsOnce(cancelled({ Code: 'ConditionalCheckFailed', Item: { id: 7, status: 'completed' } }));
    expect(await commitWrites(db, writes)).toEqual({ kind: 'committed' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(await commitWrites(db, writes)).toEqual({
      kind: 'condition_failed',
      failures: [{ index: 0, code: 'ConditionalCheckFailed', item: { id: 7, status: 'completed' } }],
    });
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(call.args[0].input.TransactItems).toEqual(writes);
  });
});

/**
 * A table in memory answering the Query and BatchGetItem requests the list reads send, as DynamoDB
 * does: keys in order, Limit counts the items evaluated (before the filter), LastEvaluatedKey whenever
 * Limit was reached, a starting key outside the key condition refused.
 */
function fakeTable(items: Record<string, any>[]) {
  const sorted = [...items].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const queries: Record<string, any>[] = [];
  ddb.on(QueryCommand).callsFake((input) => {
    queries.push(input);
    const v = input.ExpressionAttributeValues;
    const inRange: (sk: string) => boolean =
      input.KeyConditionExpression === 'pk = :pk AND sk BETWEEN :from AND :to'
        ? (sk) => sk >= v[':from'] && sk <= v[':to']
        : input.KeyConditionExpression === 'pk = :pk AND begins_with(sk, :prefix)'
          ? (sk) => sk.startsWith(v[':prefix'])
          : () => {
              throw new Error(`unexpected key condition ${input.KeyConditionExpression}`);
            };
    // The filters the store writes: `#f0 = :f0 AND contains(#f1, :f1) …`, each an attribute equal
    // to a value or a list holding it.
    const terms = input.FilterExpression === undefined ? [] : String(input.FilterExpression).split(' AND ');
    const parsed = terms.map((t: string) => /^(?:(#f\d+) = (:f\d+)|contains\((#f\d+), (:f\d+)\))$/.exec(t));
    const filter = parsed.every(Boolean)
      ? (i: Record<string, any>) =>
          parsed.every((m: RegExpExecArray | null) => {
            const [, eqName, eqValue, inName, inValue] = m as RegExpExecArray;
            return eqName
              ? i[input.ExpressionAttributeNames[eqName]] === v[eqValue as string]
              : (i[input.ExpressionAttributeNames[inName as string]] ?? []).includes(v[inValue as string]);
          })
      : undefined;
    if (!filter) throw new Error(`unexpected filter ${input.FilterExpression}`);
    const start = input.ExclusiveStartKey;
    if (start && (start.pk !== v[':pk'] || !inRange(start.sk)))
      throw new Error('ValidationException: the provided starting key is invalid');
    const evaluated = sorted
      .filter((i) => i.pk === v[':pk'] && inRange(i.sk) && (!start || i.sk > start.sk))
      .slice(0, input.Limit ?? Number.POSITIVE_INFINITY);
    const last = evaluated.length === input.Limit ? evaluated.at(-1) : undefined;
    return {
      Items: evaluated.filter(filter),
      LastEvaluatedKey: last ? { pk: last.pk, sk: last.sk } : undefined,
    };
  });
  ddb.on(BatchGetCommand).callsFake((input) => ({
    Responses: {
      t: input.RequestItems.t.Keys.flatMap((k: { pk: string; sk: string }) =>
        sorted.filter((i) => i.pk === k.pk && i.sk === k.sk),
      ),
    },
  }));
  return queries;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const pageRecord = (index: number): PageRecord => ({
  index,
  url: `https://example.test/p/${index}`,
  normalized_url: `https://example.test/p/${index}`,
  status_code: 200,
  page_type: 'article',
  response_headers: { 'content-type': 'text/html' },
  console_errors_count: null,
  network_errors_count: null,
  artifacts: { screenshot_path: `p${index}.png`, html_snapshot_path: null },
  issues_count: 0,
});
/** A page as stored: with the index of the issues it carried (the list filters pages by it). */
const storedPage = (page: PageRecord, issues: readonly IssueRecord[] = []): StoredPageRecord => ({
  ...page,
  issue_severities: [...new Set(issues.map((i) => i.severity))],
  issue_categories: [...new Set(issues.map((i) => i.category))],
  issue_kinds: [...new Set(issues.map((i) => issueKind(i.severity, i.category)))],
  issue_fingerprints: issues.map((i) => i.fingerprint),
});
const CATEGORIES = ['security', 'privacy', 'seo'] as const;
const issueRecord = (n: number, pageIndex = 0): IssueRecord => ({
  fingerprint: `fp-${createHash('sha1').update(String(n)).digest('hex').slice(0, 12)}`,
  category: CATEGORIES[n % 3] as string,
  type: 'missing_header',
  severity: SEVERITIES[(n * 7) % 5] as IssueRecord['severity'],
  title: `Issue ${n}`,
  description: 'd',
  confidence: 80,
  evidence: 'e',
  business_impact: null,
  suggested_remediation: null,
  reproduction_steps: null,
  screenshot_path: null,
  page_url: `https://example.test/p/${pageIndex}`,
  page_index: pageIndex,
});

/**
 * A committed run of `shards` shards with these pages and issues, stored as the ingest places them,
 * and beside them what a list must never return: another run, a losing attempt's items under another
 * ingest id, the run item.
 */
function storedRun(shards: number, pages: number, issues: number) {
  const run = { id: 7, ingest_id: 'ing', ...(shards > 1 ? { result_shards: shards } : {}) } as ScanRunItem;
  const pageRecords = Array.from({ length: pages }, (_, i) => pageRecord(i));
  const issueRecords = Array.from({ length: issues }, (_, n) => issueRecord(n, n % Math.max(1, pages)));
  const place = (item: Record<string, any>, shard: number) => ({
    ...item,
    pk: keys.scanRunPartition(7, shard),
  });
  const items = [
    ...pageRecords.map((p) =>
      place(
        {
          sk: `PAGE#ing#${String(p.index).padStart(6, '0')}`,
          ...storedPage(
            p,
            issueRecords.filter((i) => i.page_index === p.index),
          ),
        },
        pageShard(p.index, shards),
      ),
    ),
    ...issueRecords.map((i) =>
      place({ sk: `ISSUE#ing#${i.fingerprint}`, ...i }, issueShard(i.fingerprint, shards)),
    ),
    ...Array.from({ length: Math.max(shards, 2) }, (_, k) => [
      place({ sk: 'PAGE#inf#000001', ...pageRecord(1) }, k),
      place({ sk: 'PAGE#inh#000001', ...pageRecord(1) }, k),
      place({ sk: `ISSUE#inh#${issueRecord(1).fingerprint}`, ...issueRecord(1) }, k),
      { ...place({ sk: 'PAGE#ing#000001', ...pageRecord(1) }, k), pk: keys.scanRunPartition(8, k) },
    ]).flat(),
    { pk: 'SCANRUN#7', sk: 'SCANRUN', id: 7 },
  ];
  return { run, items, pageRecords, issueRecords };
}

/** Every page of a list, checking each: full pages with a cursor, then a last one without. */
async function pageThrough<T>(
  list: (cursor?: string) => Promise<ListOutcome<T>>,
  limit: number,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await list(cursor);
    if (page.kind !== 'page') throw new Error('invalid cursor');
    if (page.nextCursor) expect(page.items).toHaveLength(limit);
    else expect(page.items.length).toBeLessThanOrEqual(limit);
    all.push(...page.items);
    if (!page.nextCursor) return all;
    expect(page.items.length).toBeGreaterThan(0);
    cursor = page.nextCursor;
  }
}

describe('sharded lists: a k-way merge of the shards in sort-key order', () => {
  for (const shards of [1, 2, 5, 32]) {
    it(`lists pages in order, each once, with next_cursor null exactly on the last page (S = ${shards})`, async () => {
      const { run, items, pageRecords } = storedRun(shards, 203, 0);
      fakeTable(items);
      for (const limit of [1, 7, 50, 200, 203, 250]) {
        const pages = await pageThrough((cursor) => listRunPages(db, run, { limit, cursor }), limit);
        expect(pages).toEqual(pageRecords);
      }
    });

    it(`lists issues in fingerprint order, with and without a severity filter (S = ${shards})`, async () => {
      const { run, items, issueRecords } = storedRun(shards, 3, 157);
      fakeTable(items);
      const byFingerprint = [...issueRecords].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
      for (const limit of [1, 7, 50, 200]) {
        for (const severity of [undefined, ...SEVERITIES]) {
          const issues = await pageThrough(
            (cursor) => listRunIssues(db, run, { limit, cursor, severity }),
            limit,
          );
          expect(issues).toEqual(byFingerprint.filter((i) => !severity || i.severity === severity));
        }
      }
    });
  }

  for (const shards of [1, 5]) {
    it(`filters issues by category, alone and with a severity (S = ${shards})`, async () => {
      const { run, items, issueRecords } = storedRun(shards, 3, 157);
      const queries = fakeTable(items);
      const byFingerprint = [...issueRecords].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
      for (const limit of [1, 7, 100]) {
        for (const category of [...CATEGORIES, 'content'] as const) {
          for (const severity of [undefined, 'high', 'info'] as const) {
            const issues = await pageThrough(
              (cursor) => listRunIssues(db, run, { limit, cursor, severity, category }),
              limit,
            );
            const expected = byFingerprint.filter(
              (i) => i.category === category && (!severity || i.severity === severity),
            );
            expect(issues, `${limit} ${category} ${severity}`).toEqual(expected);
          }
        }
      }
      // `category` goes through an expression attribute name, as every filtered attribute does.
      expect(queries.some((q) => Object.values(q.ExpressionAttributeNames ?? {}).includes('category'))).toBe(
        true,
      );
    });
  }

  it('queries every shard in parallel for ~(limit + 1) / S items, and refills only those that ran dry', async () => {
    const { run, items, pageRecords } = storedRun(5, 100, 0);
    const queries = fakeTable(items);
    const first = await listRunPages(db, run, { limit: 50 });
    expect(first.kind === 'page' && first.items).toEqual(pageRecords.slice(0, 50));
    // Pages i mod 5: each shard holds 10 of the first 51; 12 asked of each suffice.
    expect(queries.map((q) => [q.ExpressionAttributeValues[':pk'], q.Limit])).toEqual(
      [0, 1, 2, 3, 4].map((k) => [keys.scanRunPartition(7, k), 12]),
    );
    expect(queries[0]?.ExpressionAttributeValues).toMatchObject({ ':from': 'PAGE#ing#', ':to': 'PAGE#ing$' });
  });

  it('a rare severity: shards thinned out by the filter are asked for twice as many items each time', async () => {
    // 32 shards, 4,000 issues, 3 of them critical: a page of them reads every shard to its end.
    const stored = storedRun(32, 1, 4_000);
    const critical = new Set([1, 2, 3].map((n) => issueRecord(n).fingerprint));
    const rarely = (i: Record<string, any>) =>
      i.severity === undefined ? i : { ...i, severity: critical.has(i.fingerprint) ? 'critical' : 'low' };
    const rare = stored.items.map(rarely);
    const rareIssues = stored.issueRecords.map((i) => rarely(i) as IssueRecord);
    const queries = fakeTable(rare);
    const page = await listRunIssues(db, stored.run, { limit: 50, severity: 'critical' });
    expect(page).toEqual({
      kind: 'page',
      items: rareIssues
        .filter((i) => i.severity === 'critical')
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)),
      nextCursor: null,
    });
    const limits = queries.filter((q) => q.ExpressionAttributeValues[':pk'] === keys.scanRunPartition(7, 0));
    expect(limits.slice(0, 4).map((q) => q.Limit)).toEqual([3, 6, 12, 24]);
    // ~125 issues a shard: about 6 rounds of 32 queries, not one round per 3 items (~42).
    expect(queries.length).toBeLessThan(32 * 8);
  });

  it('the cursor names the run partition and the last sort key, as for a run of one partition', async () => {
    const { run, items } = storedRun(5, 20, 0);
    fakeTable(items);
    const page = await listRunPages(db, run, { limit: 4 });
    if (page.kind !== 'page') throw new Error('page expected');
    expect(JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString())).toEqual({
      pk: 'SCANRUN#7',
      sk: 'PAGE#ing#000003',
    });
  });

  it('refuses cursors that are no key of this run’s list, without asking DynamoDB', async () => {
    const queries = fakeTable(storedRun(5, 20, 20).items);
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const bad = [
      'not-a-cursor',
      forged('PAGE#ing#000001'),
      forged({ pk: 'SCANRUN#7' }),
      forged({ pk: 'SCANRUN#7#1', sk: 'PAGE#ing#000001' }), // a shard's partition: never issued
      forged({ pk: 'SCANRUN#8', sk: 'PAGE#ing#000001' }),
      forged({ pk: 'SCANRUN#7', sk: 'SCANRUN' }),
      forged({ pk: 'SCANRUN#7', sk: 'PAGE#inh#000001' }),
      forged({ pk: 'SCANRUN#7', sk: 'ISSUE#ing#fp-00000001' }),
      forged({ pk: 'SCANRUN#7', sk: 'PAGE#ing#' }),
      forged({ pk: 'SCANRUN#7', sk: 'PAGE#ing#00000x' }),
      forged({ pk: 'SCANRUN#7', sk: `PAGE#ing#${'1'.repeat(2000)}` }),
      forged({ pk: 'SCANRUN#7', sk: 'PAGE#ing#000001', gsi1pk: 'x' }),
      forged({ pk: 'SCANRUN#7', sk: 7 }),
    ];
    for (const shards of [1, 5]) {
      const run = storedRun(shards, 0, 0).run;
      for (const cursor of bad) {
        expect(await listRunPages(db, run, { limit: 5, cursor }), cursor).toEqual({ kind: 'invalid_cursor' });
      }
      for (const sk of [`ISSUE#ing#${'a'.repeat(129)}`, 'ISSUE#ing#fp 1', 'ISSUE#ing#fp/0001', 'ISSUE#ing#é'])
        expect(await listRunIssues(db, run, { limit: 5, cursor: forged({ pk: 'SCANRUN#7', sk }) })).toEqual({
          kind: 'invalid_cursor',
        });
    }
    expect(queries).toHaveLength(0);
  });

  it('finds issues by fingerprint in their shards', async () => {
    const { run, items, issueRecords } = storedRun(5, 1, 60);
    fakeTable(items);
    const wanted = [...issueRecords.map((i) => i.fingerprint), 'fp-absent-01'];
    const found = await readRunIssuesByFingerprint(db, run, wanted);
    expect([...found.keys()]).toEqual(issueRecords.map((i) => i.fingerprint));
    const asked = ddb.commandCalls(BatchGetCommand).flatMap((c) => c.args[0].input.RequestItems!.t!.Keys!);
    expect(new Set(asked.map((k) => k.pk)).size).toBe(5);
  });
});

/** Every page of a list, pages allowed short (a `keep` filter's budget), counting the requests. */
async function pageThroughShort<T>(list: (cursor?: string) => Promise<ListOutcome<T>>) {
  const all: T[] = [];
  let requests = 0;
  for (let cursor: string | undefined; ; ) {
    const page = await list(cursor);
    requests++;
    if (page.kind !== 'page') throw new Error('invalid cursor');
    all.push(...page.items);
    if (!page.nextCursor) return { all, requests };
    cursor = page.nextCursor;
  }
}

describe('page filters and filters the store cannot hand to DynamoDB', () => {
  for (const shards of [1, 5]) {
    it(`filters pages by the severity and category of the issues they carried (S = ${shards})`, async () => {
      const { run, items, pageRecords, issueRecords } = storedRun(shards, 40, 100);
      const queries = fakeTable(items);
      for (const [severity, category] of [
        ['critical', undefined],
        [undefined, 'privacy'],
        ['high', 'seo'],
      ] as const) {
        const onPage = (p: PageRecord) => issueRecords.filter((i) => i.page_index === p.index);
        // Both: one issue of that severity and category (not one of each).
        const expected = pageRecords.filter((p) =>
          onPage(p).some(
            (i) => (!severity || i.severity === severity) && (!category || i.category === category),
          ),
        );
        const pages = await pageThrough(
          (cursor) => listRunPages(db, run, { limit: 7, cursor, severity, category }),
          7,
        );
        expect(pages).toEqual(expected);
        expect(pages.length).toBeGreaterThan(0);
        expect(pages.length).toBeLessThan(pageRecords.length);
      }
      expect(queries.at(-1)?.FilterExpression).toBe('contains(#f0, :f0)');
      expect(queries.at(-1)?.ExpressionAttributeNames).toEqual({ '#f0': 'issue_kinds' });
    });

    it(`a keep filter: each kept item once, in order, KEEP_BATCH items a call, 1,000 looked at per request (S = ${shards})`, async () => {
      const { run, items, issueRecords } = storedRun(shards, 1, 2_500);
      fakeTable(items);
      const byFingerprint = [...issueRecords].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
      for (const [name, kept] of [
        ['a third', (fp: string) => parseInt(fp.slice(-2), 16) % 3 === 0],
        ['one', (fp: string) => fp === byFingerprint[2_345]?.fingerprint],
        ['none', () => false],
      ] as const) {
        const calls: number[] = [];
        const keep = {
          keep: async (batch: readonly Record<string, unknown>[]) => {
            calls.push(batch.length);
            return batch.map((i) => kept(String(i.fingerprint)));
          },
        };
        const { all, requests } = await pageThroughShort((cursor) =>
          listRunIssues(db, run, { limit: 50, cursor, keep }),
        );
        expect(all, name).toEqual(byFingerprint.filter((i) => kept(i.fingerprint)));
        expect(
          calls.every((n) => n <= 100),
          name,
        ).toBe(true);
        // Every item is looked at once, unless a full page stopped a batch midway (looked at again).
        if (name !== 'a third') {
          expect(
            calls.reduce((a, b) => a + b, 0),
            name,
          ).toBe(2_500);
          expect(requests, name).toBe(3);
        }
      }
    });
  }

  it('a keep filter with a cost: a request stops before the item past its budget, and always takes one', async () => {
    const { run, items } = storedRun(1, 0, 30);
    fakeTable(items);
    const looked: number[] = [];
    const keep = {
      keep: async (batch: readonly Record<string, unknown>[]) => {
        looked.push(batch.length);
        return batch.map(() => false);
      },
      cost: () => 400,
    };
    const { all, requests } = await pageThroughShort((cursor) =>
      listRunIssues(db, run, { limit: 10, cursor, keep }),
    );
    expect(all).toEqual([]);
    // 400 + 400 fit 1,000, a third would not: two items a request, 15 requests for 30 items.
    expect(looked).toEqual(Array(15).fill(2));
    expect(requests).toBe(15);
    const heavy = { ...keep, cost: () => 5_000 };
    looked.length = 0;
    expect(
      (await pageThroughShort((cursor) => listRunIssues(db, run, { limit: 10, cursor, keep: heavy })))
        .requests,
    ).toBe(30);
    expect(looked).toEqual(Array(30).fill(1));
  });
});

describe('where a postback is stored', () => {
  it('a small postback: the run partition alone, as before sharding', () => {
    const { shards, items } = shardedResultItems(
      7,
      'ing',
      [storedPage(pageRecord(0)), storedPage(pageRecord(1))],
      [issueRecord(1)],
    );
    expect(shards).toBe(1);
    expect(items.map((i) => [i.pk, i.sk])).toEqual([
      ['SCANRUN#7', 'PAGE#ing#000000'],
      ['SCANRUN#7', 'PAGE#ing#000001'],
      ['SCANRUN#7', `ISSUE#ing#${issueRecord(1).fingerprint}`],
    ]);
  });

  it('a large one: pages by index and issues by fingerprint over S partitions, the same every time', () => {
    // 60 issues of ~98 write units each: 5,900 units, 3 shards.
    const issues = Array.from({ length: 60 }, (_, n) => ({
      ...issueRecord(n),
      evidence: 'x'.repeat(100_000),
    }));
    const pages = Array.from({ length: 9 }, (_, i) => storedPage(pageRecord(i)));
    const { shards, items } = shardedResultItems(7, 'ing', pages, issues);
    expect(shards).toBe(3);
    expect(items.slice(0, 9).map((i) => i.pk)).toEqual(
      [0, 1, 2, 0, 1, 2, 0, 1, 2].map((k) => keys.scanRunPartition(7, k)),
    );
    for (const item of items.slice(9))
      expect(item.pk).toBe(keys.scanRunPartition(7, issueShard(item.fingerprint as string, 3)));
    expect(new Set(items.slice(9).map((i) => i.pk)).size).toBe(3);
    expect(shardedResultItems(7, 'ing', pages, issues).items.map((i) => [i.pk, i.sk])).toEqual(
      items.map((i) => [i.pk, i.sk]),
    );
  });
});
