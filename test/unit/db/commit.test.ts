import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import {
  applyPlan,
  commitWrites,
  MAX_TRANSACTION_ITEMS,
  unexpectedConditionFailure,
  type WritePlan,
} from '../../../lib/db/commit.ts';
import type { TransactItem } from '../../../lib/db/dynamo.ts';
import { transactionCancelled as cancelled } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

const throttled = () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });

const put = (n: number): TransactItem => ({
  Put: { TableName: 't', Item: { pk: `P#${n}`, sk: 'S' }, ConditionExpression: 'attribute_not_exists(pk)' },
});
const update = (n: number): TransactItem => ({
  Update: {
    TableName: 't',
    Key: { pk: `P#${n}`, sk: 'S' },
    UpdateExpression: 'SET n = :n',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':n': n },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

beforeEach(() => {
  ddbMock.reset();
  // Retry pauses are full jitter (random · backoff): zero keeps these tests from waiting.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('commitWrites', () => {
  it('writes all items in one transaction', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    const items = [put(1), update(2)];
    expect(await commitWrites(db, items)).toEqual({ kind: 'committed' });
    const calls = ddbMock.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TransactItems).toEqual(items);
    expect(calls[0]!.args[0].input.ClientRequestToken).toBeUndefined();
  });

  it('commits nothing, and sends nothing, for no items', async () => {
    expect(await commitWrites(db, [])).toEqual({ kind: 'committed' });
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('refuses more items than one transaction holds', async () => {
    const items = Array.from({ length: MAX_TRANSACTION_ITEMS + 1 }, (_, i) => put(i));
    await expect(commitWrites(db, items)).rejects.toThrow(/at most 100/);
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('reports each failed condition by index, with the current item unmarshalled', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        cancelled([
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { pk: 'P#2', sk: 'S', n: 7, tags: ['a'] } },
          { Code: 'ConditionalCheckFailed' },
        ]),
      );
    const outcome = await commitWrites(db, [put(1), update(2), put(3)]);
    expect(outcome).toEqual({
      kind: 'condition_failed',
      failures: [
        { index: 1, code: 'ConditionalCheckFailed', item: { pk: 'P#2', sk: 'S', n: 7, tags: ['a'] } },
        { index: 2, code: 'ConditionalCheckFailed', item: undefined },
      ],
    });
    // A failed condition is an answer: it is not tried again.
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('tries a transaction conflict again', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }]))
      .resolves({});
    expect(await commitWrites(db, [put(1), update(2)])).toEqual({ kind: 'committed' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('tries throttling again, and throws it once the attempts are used up', async () => {
    ddbMock.on(TransactWriteCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    expect(await commitWrites(db, [put(1)])).toEqual({ kind: 'committed' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(3);

    ddbMock.reset();
    ddbMock.on(TransactWriteCommand).rejects(throttled());
    await expect(commitWrites(db, [put(1)])).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(8);
  });

  it('throws a non-retryable error at once', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('bad'), { name: 'ValidationException' }));
    await expect(commitWrites(db, [put(1)])).rejects.toThrow('bad');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);

    ddbMock.reset();
    ddbMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ValidationError' }, { Code: 'None' }]));
    await expect(commitWrites(db, [put(1), put(2)])).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('passes the ClientRequestToken on every try', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'TransactionConflict' }]))
      .resolves({});
    expect(await commitWrites(db, [put(1)], { token: 'req-123' })).toEqual({ kind: 'committed' });
    const tokens = ddbMock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toEqual(['req-123', 'req-123']);
  });
});

describe('applyPlan', () => {
  const plan = (onConditionFailed: WritePlan<string>['onConditionFailed']): WritePlan<string> => ({
    writes: [put(1), update(2)],
    result: 'done',
    onConditionFailed,
  });

  it('answers the plan result once its writes are committed', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    const onConditionFailed = vi.fn(() => 'unexpected');
    expect(await applyPlan(db, plan(onConditionFailed))).toBe('done');
    expect(onConditionFailed).not.toHaveBeenCalled();
  });

  it('hands the first failed entry to the plan', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { n: 1 } }]));
    const onConditionFailed = vi.fn(() => 'already done');
    expect(await applyPlan(db, plan(onConditionFailed))).toBe('already done');
    expect(onConditionFailed).toHaveBeenCalledWith({
      index: 1,
      code: 'ConditionalCheckFailed',
      item: { n: 1 },
    });
  });

  it('an unexpected condition failure is a bug, not an answer', async () => {
    ddbMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }]));
    await expect(applyPlan(db, plan(unexpectedConditionFailure('thing creation')))).rejects.toThrow(
      'thing creation: condition of write 0 failed unexpectedly',
    );
  });
});
