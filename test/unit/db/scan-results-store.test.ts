import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import { completedRunWrite, failedRunWrites } from '../../../lib/db/scan-results-store.ts';
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
    const write = completedRunWrite(db, 7, 'ing', { pages_scanned: 1 }, 'now');
    const update = write.Update!;
    expect(update.Key).toEqual({ pk: 'SCANRUN#7', sk: 'SCANRUN' });
    expect(update.ConditionExpression).toBe('#status = :queued');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':completed': 'completed',
      ':ingest': 'ing',
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
