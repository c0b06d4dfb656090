import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import { usableTargetCheck } from '../../../lib/db/targets-store.ts';
import {
  approveExportWrite,
  type ExportItem,
  exportPuts,
  exportRef,
  getExport,
  listExports,
  putExport,
  requeueExportWrite,
} from '../../../lib/db/ticket-exports-store.ts';
import { sampleExport } from '../../support/dynamodb-fakes.ts';
import { allPages, fakeIndexTable } from '../../support/fake-index-table.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddbMock.reset());

const exportId = 'exp_0123456789abcdef01234567';
const item: ExportItem = sampleExport();

describe('ticket exports store', () => {
  it('puts a prepared export under its account index and its payload beside it, never overwriting', async () => {
    const [state, payload] = exportPuts(db, item).map((w) => w.Put!);
    expect(state!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(state!.Item).toMatchObject({
      pk: `EXPORT#${exportId}`,
      sk: 'EXPORT',
      gsi1pk: 'ACCOUNT#acc_1#EXPORTS',
      gsi1sk: `${item.created_at}#${exportId}`,
    });
    // The body and the fingerprints are written once, in the payload item: state writes never carry them.
    expect(state!.Item).not.toHaveProperty('body');
    expect(state!.Item).not.toHaveProperty('issue_fingerprints');
    expect(payload).toEqual({
      TableName: 't',
      Item: {
        pk: `EXPORT#${exportId}`,
        sk: 'PAYLOAD',
        body: item.body,
        issue_fingerprints: item.issue_fingerprints,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    ddbMock.on(TransactWriteCommand).resolves({});
    await putExport(db, item);
    expect(ddbMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toEqual(
      exportPuts(db, item),
    );
  });

  it('reads state and payload in one Query, without keys; the attempt log shares the partition', async () => {
    const [state, payload] = exportPuts(db, item).map((w) => w.Put!.Item!) as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    ddbMock.on(QueryCommand).resolves({ Items: [state, payload] });
    expect(await getExport(db, exportId, true)).toEqual(item);
    const input = ddbMock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :state AND :payload',
      ExpressionAttributeValues: { ':p': `EXPORT#${exportId}`, ':state': 'EXPORT', ':payload': 'PAYLOAD' },
    });
    // The attempt log sorts before both (ATTEMPT# < EXPORT < PAYLOAD), so the range never reads it.
    expect(['ATTEMPT#000001', 'EXPORT', 'PAYLOAD'].sort()).toEqual(['ATTEMPT#000001', 'EXPORT', 'PAYLOAD']);
    expect(exportRef(exportId)).toEqual({
      key: { pk: `EXPORT#${exportId}`, sk: 'EXPORT' },
      payload: { pk: `EXPORT#${exportId}`, sk: 'PAYLOAD' },
      partition: `EXPORT#${exportId}`,
    });
    ddbMock.on(QueryCommand).resolves({ Items: [payload] });
    expect(await getExport(db, exportId)).toBeUndefined();
  });

  it('approval is one conditional write pending_approval → queued', () => {
    const update = approveExportWrite(db, {
      exportId,
      accountId: 'acc_1',
      targetId: 't',
      seenUpdatedAt: item.updated_at,
      at: 'now',
      createdAt: item.created_at,
    }).Update!;
    expect(update.Key).toEqual({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' });
    // It is listed under its target from now on (GSI2).
    expect(update.UpdateExpression).toContain('gsi2pk = :tpk, gsi2sk = :tsk');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':tpk': 'TARGET#t#DELIVERIES',
      ':tsk': `${item.created_at}#${exportId}`,
    });
    expect(update.ConditionExpression).toContain('#status = :pending');
    expect(update.ConditionExpression).toContain('preview_safe = :true');
    expect(update.ConditionExpression).toContain('account_id = :acc');
    expect(update.ConditionExpression).toContain('updated_at = :seen');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':queued': 'queued',
      ':pending': 'pending_approval',
      ':target': 't',
      ':acc': 'acc_1',
      ':seen': item.updated_at,
    });
    expect(update.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('approval commits with the target check in one transaction; a refusal brings back the export', async () => {
    const writes = [
      approveExportWrite(db, {
        exportId,
        accountId: 'acc_1',
        targetId: 't',
        seenUpdatedAt: 'u',
        at: 'now',
        createdAt: 'c',
      }),
      usableTargetCheck(db, 't', 'acc_1'),
    ];
    ddbMock.on(TransactWriteCommand).resolves({});
    expect(await commitWrites(db, writes)).toEqual({ kind: 'committed' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);

    const old = { ...item, status: 'queued' };
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: marshall(old) }, { Code: 'None' }],
      }),
    );
    expect(await commitWrites(db, writes)).toEqual({
      kind: 'condition_failed',
      failures: [{ index: 0, code: 'ConditionalCheckFailed', item: old }],
    });
  });

  it('retry starts a new round from failed or blocked only', () => {
    const update = requeueExportWrite(db, {
      exportId,
      accountId: 'acc_1',
      seenUpdatedAt: item.updated_at,
      at: 'now',
      nowMs: 0,
      targetId: 't2',
      createdAt: item.created_at,
    }).Update!;
    // The round's target, and the list it appears in, may change.
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':target': 't2',
      ':tpk': 'TARGET#t2#DELIVERIES',
      ':tsk': `${item.created_at}#${exportId}`,
    });
    expect(update.ConditionExpression).toContain('#status IN (:failed, :blocked)');
    expect(update.ConditionExpression).toContain('account_id = :acc');
    expect(update.ConditionExpression).toContain('updated_at = :seen');
    expect(update.UpdateExpression).toContain('#round = #round + :one');
    expect(update.UpdateExpression).toContain('attempts = :zero');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':failed': 'failed', ':blocked': 'blocked' });
    expect(update.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });
});

describe('ticket exports store: the account list', () => {
  const TARGET = 'tgt_00000000000000000000000a';
  const OTHER_TARGET = 'tgt_00000000000000000000000b';
  const STATUSES = ['pending_approval', 'queued', 'exported', 'failed'] as const;
  /** Export n of acc_1, as stored: state (gsi1; gsi2 once it has a target) and payload. */
  const stored = (n: number, accountId = 'acc_1') => {
    const id = `exp_${String(n).padStart(24, '0')}`;
    const created = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    const status = STATUSES[n % 4] as ExportItem['status'];
    const targetId = status === 'pending_approval' ? null : n % 3 === 0 ? TARGET : OTHER_TARGET;
    const e: ExportItem = {
      ...sampleExport(),
      id,
      account_id: accountId,
      status,
      target_id: targetId,
      scan_run_id: 1 + (n % 2),
      body: 'x'.repeat(1000),
      created_at: created,
      updated_at: created,
    };
    const [state, payload] = exportPuts(db, e).map((w) => w.Put!.Item as Record<string, unknown>);
    return [
      {
        ...state,
        ...(targetId ? { gsi2pk: `TARGET#${targetId}#DELIVERIES`, gsi2sk: `${created}#${id}` } : {}),
      },
      payload,
    ];
  };
  const items = [
    ...Array.from({ length: 40 }, (_, n) => stored(n)).flat(),
    ...stored(100, 'acc_2'),
    // An event delivery to the target: in its deliveries partition, never an export.
    {
      pk: 'EVENT#evt_00000000000000000000000000000001',
      sk: 'EVENT',
      gsi2pk: `TARGET#${TARGET}#DELIVERIES`,
      gsi2sk: '2026-01-01T00:00:05.000Z#evt_00000000000000000000000000000001',
      account_id: 'acc_1',
      status: 'queued',
    },
  ] as Record<string, any>[];
  const mine = items
    .filter((i) => i.sk === 'EXPORT' && i.account_id === 'acc_1')
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));

  it('pages every filter combination newest first, exactly, reading no payload', async () => {
    const { queries, batchGets } = fakeIndexTable(ddbMock, items);
    for (const limit of [1, 7, 100]) {
      for (const status of [undefined, 'queued', 'exported'] as const) {
        for (const targetId of [undefined, TARGET]) {
          for (const scanRunId of [undefined, 2]) {
            const pages = await allPages((cursor) =>
              listExports(db, 'acc_1', { status, targetId, scanRunId }, { limit, cursor }),
            );
            const want = mine.filter(
              (e) =>
                (!status || e.status === status) &&
                (!targetId || e.target_id === targetId) &&
                (!scanRunId || e.scan_run_id === scanRunId),
            );
            const label = `${limit} ${status} ${targetId} ${scanRunId}`;
            expect(
              pages.flat().map((e) => e.id),
              label,
            ).toEqual(want.map((e) => e.id));
            for (const p of pages.slice(0, -1)) expect(p, label).toHaveLength(limit);
            for (const e of pages.flat()) {
              expect(e).not.toHaveProperty('body');
              expect(e).not.toHaveProperty('issue_fingerprints');
              expect(e).not.toHaveProperty('gsi2pk');
            }
          }
        }
      }
    }
    // A target's exports come from its deliveries (gsi2), filtered in the query, account included.
    const byTarget = queries.filter((q) => q.IndexName === 'gsi2');
    expect(byTarget.length).toBeGreaterThan(0);
    for (const q of byTarget) {
      expect(q.FilterExpression).toMatch(/^sk = :export AND account_id = :acc/);
      expect(q.ExpressionAttributeValues[':acc']).toBe('acc_1');
      expect(q.ScanIndexForward).toBe(false);
      expect(q.ProjectionExpression).toBeDefined();
    }
    // The account's exports come from gsi1 by key, each state item read without its body.
    for (const b of batchGets) {
      expect(Object.values(b.RequestItems.t.ExpressionAttributeNames)).not.toContain('body');
      expect(b.RequestItems.t.Keys.every((k: { sk: string }) => k.sk === 'EXPORT')).toBe(true);
    }
  });

  it('refuses cursors of another list, or keys that are no export list keys', async () => {
    fakeIndexTable(ddbMock, items);
    const byAccount = await listExports(db, 'acc_1', {}, { limit: 1 });
    const byTarget = await listExports(db, 'acc_1', { targetId: TARGET }, { limit: 1 });
    if (byAccount.kind !== 'page' || byTarget.kind !== 'page') throw new Error('expected pages');
    const decoded = (c: string | null) => JSON.parse(Buffer.from(String(c), 'base64url').toString());
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const a = decoded(byAccount.nextCursor);
    const t = decoded(byTarget.nextCursor);
    const bad: [Parameters<typeof listExports>[2], unknown][] = [
      [{ targetId: TARGET }, a],
      [{}, t],
      [{ targetId: OTHER_TARGET }, t],
      [{}, { ...a, pk: 'EXPORT#exp_ffffffffffffffffffffffff' }],
      [{}, { ...a, sk: 'PAYLOAD' }],
      [{ targetId: TARGET }, { ...t, pk: 'EVENT#evt_00000000000000000000000000000001' }],
      [{ targetId: TARGET }, { ...t, gsi2sk: `${'1'.repeat(1200)}#${t.pk.slice(7)}` }],
    ];
    for (const [filter, key] of bad)
      expect(await listExports(db, 'acc_1', filter, { limit: 1, cursor: forged(key) })).toEqual({
        kind: 'invalid_cursor',
      });
    // A cursor that stopped on an event delivery of the target is one of its list's keys.
    const onEvent = {
      pk: 'EVENT#evt_00000000000000000000000000000001',
      sk: 'EVENT',
      gsi2pk: `TARGET#${TARGET}#DELIVERIES`,
      gsi2sk: '2026-01-01T00:00:05.000Z#evt_00000000000000000000000000000001',
    };
    const after = await listExports(
      db,
      'acc_1',
      { targetId: TARGET },
      { limit: 100, cursor: forged(onEvent) },
    );
    expect(after.kind === 'page' && after.items.map((e) => e.id)).toEqual(
      mine.filter((e) => e.target_id === TARGET && e.created_at < onEvent.gsi2sk).map((e) => e.id),
    );
  });
});
