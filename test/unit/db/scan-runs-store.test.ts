import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import {
  createScanRunWrites,
  listProjectScanRuns,
  type ScanRunItem,
  scanRunIndexKeys,
} from '../../../lib/db/scan-runs-store.ts';
import { explainCreateRunFailure } from '../../../lib/domain/scan-runs.ts';
import { ScanCreditsExhaustedError } from '../../../lib/errors.ts';
import type { ScanRunStatus } from '../../../lib/schemas/scan-runs.ts';
import { allPages, fakeIndexTable } from '../../support/fake-index-table.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddbMock.reset());

describe('scan run store', () => {
  it('reports a cancelled credit reservation as entry 0 failing, which means SCAN_CREDITS_EXHAUSTED', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const run = { id: 1, account_id: 'acc_1' } as ScanRunItem;
    const outcome = await commitWrites(db, createScanRunWrites(db, run));
    expect(outcome).toMatchObject({ kind: 'condition_failed', failures: [{ index: 0 }] });
    // The domain gives entry 0's failure its meaning.
    if (outcome.kind !== 'condition_failed') throw new Error('expected a failed condition');
    expect(() => explainCreateRunFailure(outcome.failures[0]!)).toThrow(ScanCreditsExhaustedError);
  });
});

const PROJECT = 'prj_00000000000000000000000a';
const OTHER_PROJECT = 'prj_00000000000000000000000b';
const STATUSES: ScanRunStatus[] = ['queued', 'completed', 'failed'];
const run = (id: number, over: Partial<ScanRunItem> = {}): ScanRunItem => ({
  id,
  account_id: 'acc_1',
  project_id: PROJECT,
  status: STATUSES[id % 3] as ScanRunStatus,
  credit_reserved: id % 3 === 0,
  counters: null,
  error: null,
  report_status: 'not_started',
  temp_prefix: `tmp/scan-runs/${id}/`,
  created_at: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
  updated_at: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
  completed_at: null,
  ...over,
});
/** The run as created now; `legacy`: as created before the project id led the index sort key. */
const stored = (r: ScanRunItem, legacy = false) => {
  const item = createScanRunWrites(db, r)[1]!.Put!.Item as Record<string, unknown>;
  return legacy ? { ...item, gsi1sk: `${r.created_at}#${String(r.id).padStart(16, '0')}` } : item;
};

describe('scan run store: a project’s runs', () => {
  it('indexes a run under its account, sorted by project, then creation time and id', () => {
    const r = run(42);
    expect(scanRunIndexKeys(r)).toEqual({
      gsi1pk: 'ACCOUNT#acc_1#SCANRUNS',
      gsi1sk: `${PROJECT}#${r.created_at}#0000000000000042`,
    });
    expect(createScanRunWrites(db, r)[1]!.Put!.Item).toMatchObject(scanRunIndexKeys(r));
  });

  it('lists the project’s runs newest first, then those indexed before the project led the sort key', async () => {
    // Runs 1-30 were created before the change (some of another project), 31-60 after.
    const items = [
      ...Array.from({ length: 30 }, (_, n) =>
        run(n + 1, n % 4 === 0 ? { project_id: OTHER_PROJECT } : {}),
      ).map((r) => stored(r, true)),
      ...Array.from({ length: 30 }, (_, n) =>
        run(n + 31, n % 5 === 0 ? { project_id: OTHER_PROJECT } : {}),
      ).map((r) => stored(r)),
      stored(run(99, { account_id: 'acc_2' })),
      stored(run(98, { account_id: 'acc_2' }), true),
    ];
    const queries = fakeIndexTable(ddbMock, items).queries;
    const mine = items
      .filter((i) => i.project_id === PROJECT && i.account_id === 'acc_1')
      .map((i) => i.id as number)
      .sort((a, b) => b - a);
    for (const limit of [1, 7, 100]) {
      for (const status of [undefined, ...STATUSES]) {
        const pages = await allPages((cursor) =>
          listProjectScanRuns(db, { accountId: 'acc_1', projectId: PROJECT, status, limit, cursor }),
        );
        const want = mine.filter((id) => !status || STATUSES[id % 3] === status);
        expect(
          pages.flat().map((r) => r.id),
          `${limit} ${status}`,
        ).toEqual(want);
        for (const p of pages.slice(0, -1)) expect(p).toHaveLength(limit);
      }
    }
    // The project's range, then the older runs' range (below any project id).
    expect(queries.map((q) => q.KeyConditionExpression)).toContain(
      'gsi1pk = :p AND begins_with(gsi1sk, :prefix)',
    );
    expect(queries.map((q) => q.KeyConditionExpression)).toContain('gsi1pk = :p AND gsi1sk < :legacyEnd');
    expect(queries.every((q) => q.ScanIndexForward === false)).toBe(true);
  });

  it('refuses a cursor that is no run list key, without a read', async () => {
    fakeIndexTable(
      ddbMock,
      Array.from({ length: 5 }, (_, n) => stored(run(n + 1), n < 2)),
    );
    const first = await listProjectScanRuns(db, { accountId: 'acc_1', projectId: PROJECT, limit: 1 });
    if (first.kind !== 'page' || !first.nextCursor) throw new Error('expected a cursor');
    const own = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString());
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const before = ddbMock.commandCalls(QueryCommand).length;
    for (const key of [
      { ...own, pk: 'SCANRUN#6' },
      { ...own, sk: 'PAGE' },
      { ...own, gsi1sk: own.gsi1sk.replace(PROJECT, OTHER_PROJECT) },
      { ...own, gsi1sk: `${own.gsi1sk}0` },
      { ...own, pk: 'SCANRUN#0', gsi1sk: own.gsi1sk.replace(/\d{16}$/, '0'.repeat(16)) },
      { ...own, gsi1pk: 'ACCOUNT#acc_2#SCANRUNS' },
    ]) {
      expect(
        await listProjectScanRuns(db, {
          accountId: 'acc_1',
          projectId: PROJECT,
          limit: 1,
          cursor: forged(key),
        }),
        JSON.stringify(key),
      ).toEqual({ kind: 'invalid_cursor' });
    }
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(before);
    // A cursor in the older runs' range goes on there.
    const legacy = {
      pk: 'SCANRUN#2',
      sk: 'SCANRUN',
      gsi1pk: own.gsi1pk,
      gsi1sk: `${run(2).created_at}#0000000000000002`,
    };
    const rest = await listProjectScanRuns(db, {
      accountId: 'acc_1',
      projectId: PROJECT,
      limit: 5,
      cursor: forged(legacy),
    });
    expect(rest.kind === 'page' && rest.items.map((r) => r.id)).toEqual([1]);
  });
});
