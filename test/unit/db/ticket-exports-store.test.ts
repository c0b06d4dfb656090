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
  putExport,
  requeueExportWrite,
} from '../../../lib/db/ticket-exports-store.ts';
import { sampleExport } from '../../support/dynamodb-fakes.ts';

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
