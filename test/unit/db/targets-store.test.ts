import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import type { ListOutcome } from '../../../lib/db/key-cursor.ts';
import {
  disableTargetTransactItem,
  disableTargetWrite,
  getTarget,
  listTargets,
  rotateSecretWrite,
  type TargetItem,
  targetAfterAttemptTransactItem,
  targetPut,
  usableTargetCheck,
} from '../../../lib/db/targets-store.ts';
import { sampleTarget } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const conditionFailed = (item?: Record<string, unknown>) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: item ? marshall(item) : undefined }],
  });
const page = <T>(outcome: ListOutcome<T>) => {
  if (outcome.kind !== 'page') throw new Error(`expected a page, got ${outcome.kind}`);
  return outcome;
};

beforeEach(() => ddbMock.reset());

const target: TargetItem = sampleTarget();
const rotation = {
  targetId: target.id,
  accountId: 'acc_1',
  expectedVersion: 1,
  sealed: 'v1.y',
  at: 'now',
};

describe('targets store', () => {
  it('puts a new target under its account index, never overwriting', async () => {
    const write = targetPut(db, target);
    expect(write.Put?.TableName).toBe('t');
    expect(write.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(write.Put?.Item).toMatchObject({
      pk: `TARGET#${target.id}`,
      sk: 'TARGET',
      gsi1pk: 'ACCOUNT#acc_1#TARGETS',
      gsi1sk: `${target.created_at}#${target.id}`,
      secret_sealed: 'v1.x',
    });

    ddbMock.on(TransactWriteCommand).resolves({});
    expect(await commitWrites(db, [write])).toEqual({ kind: 'committed' });
    const calls = ddbMock.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TransactItems).toEqual([write]);
  });

  it('reads a target without its keys', async () => {
    ddbMock.on(GetCommand).resolves({ Item: { ...targetPut(db, target).Put!.Item } });
    expect(await getTarget(db, target.id, true)).toEqual(target);
    expect(ddbMock.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: `TARGET#${target.id}`, sk: 'TARGET' },
      ConsistentRead: true,
    });
    ddbMock.on(GetCommand).resolves({});
    expect(await getTarget(db, target.id)).toBeUndefined();
  });

  it('rotation is conditional on account, active status and the version read', async () => {
    const update = rotateSecretWrite(db, rotation).Update!;
    expect(update.Key).toEqual({ pk: `TARGET#${target.id}`, sk: 'TARGET' });
    expect(update.ConditionExpression).toBe(
      'attribute_exists(pk) AND account_id = :acc AND #status = :active AND secret_version = :version',
    );
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':version': 1,
      ':next': 2,
      ':acc': 'acc_1',
      ':active': 'active',
      ':sealed': 'v1.y',
    });
    expect(update.UpdateExpression).toContain('secret_version = :next');
    expect(update.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('a refused rotation comes back with the target as it is (the domain explains it)', async () => {
    const old = { ...target, secret_version: 2 };
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed(old));
    expect(await commitWrites(db, [rotateSecretWrite(db, rotation)])).toEqual({
      kind: 'condition_failed',
      failures: [{ index: 0, code: 'ConditionalCheckFailed', item: old }],
    });
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed());
    expect(await commitWrites(db, [rotateSecretWrite(db, rotation)])).toEqual({
      kind: 'condition_failed',
      failures: [{ index: 0, code: 'ConditionalCheckFailed', item: undefined }],
    });
  });

  it('disabling keeps the first time and reason and is scoped to the account', () => {
    const update = disableTargetWrite(db, {
      targetId: target.id,
      accountId: 'acc_1',
      seenUpdatedAt: target.updated_at,
      reason: 'disabled_by_user',
      at: 'now',
    }).Update!;
    expect(update.UpdateExpression).toContain('disabled_at = if_not_exists(disabled_at, :at)');
    expect(update.UpdateExpression).toContain('disabled_reason = if_not_exists(disabled_reason, :reason)');
    expect(update.ConditionExpression).toBe(
      'attribute_exists(pk) AND account_id = :acc AND updated_at = :seen',
    );
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':acc': 'acc_1',
      ':seen': target.updated_at,
      ':disabled': 'disabled',
      ':reason': 'disabled_by_user',
    });
    expect(update.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');

    // Inside a delivery (410 Gone): any account, whatever it looked like.
    const gone = disableTargetTransactItem(db, target.id, 'now', 'receiver_gone').Update!;
    expect(gone.ConditionExpression).toBe('attribute_exists(pk)');
    expect(gone.ExpressionAttributeValues).not.toHaveProperty(':acc');
    expect(gone.ExpressionAttributeValues).toMatchObject({ ':reason': 'receiver_gone' });
  });

  it('writes what one attempt learnt about its target in one update, or nothing', () => {
    expect(targetAfterAttemptTransactItem(db, target.id, {})).toBeUndefined();
    const all = targetAfterAttemptTransactItem(db, target.id, {
      pausedUntilMs: 5,
      receiverUsesCurrentSecret: true,
      failingSinceMs: 7,
    })!.Update!;
    expect(all.Key).toEqual({ pk: `TARGET#${target.id}`, sk: 'TARGET' });
    expect(all.UpdateExpression).toBe(
      'SET paused_until_ms = :paused, receiver_secret = :current, failing_since_ms = :since, ' +
        'failing_last_ms = :last',
    );
    expect(all.ExpressionAttributeValues).toEqual({
      ':paused': 5,
      ':current': 'current',
      ':since': 7,
      ':last': 7,
    });
    expect(
      targetAfterAttemptTransactItem(db, target.id, { failingLastMs: 9 })!.Update!.UpdateExpression,
    ).toBe('SET failing_last_ms = :last');
    expect(all).not.toHaveProperty('ConditionExpression');
    const recovered = targetAfterAttemptTransactItem(db, target.id, { recovered: true })!.Update!;
    expect(recovered.UpdateExpression).toBe('REMOVE failing_since_ms, failing_last_ms');
    expect(recovered).not.toHaveProperty('ExpressionAttributeValues');
  });

  it('a usable-target check writes nothing and holds for an active, subscribed target of the account', () => {
    const check = usableTargetCheck(db, target.id, 'acc_1').ConditionCheck!;
    expect(check.Key).toEqual({ pk: `TARGET#${target.id}`, sk: 'TARGET' });
    expect(check.ConditionExpression).toBe(
      'account_id = :acc AND #status = :active AND contains(events, :te)',
    );
    expect(check.ExpressionAttributeValues).toEqual({
      ':acc': 'acc_1',
      ':active': 'active',
      ':te': 'ticket_export',
    });
    expect(check.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('lists through the account index and refuses a cursor for another partition', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [{ pk: 'TARGET#x', sk: 'TARGET', gsi1pk: 'g', gsi1sk: 's', ...target }],
      LastEvaluatedKey: { pk: 'TARGET#x', sk: 'TARGET', gsi1pk: 'ACCOUNT#acc_1#TARGETS', gsi1sk: 's' },
    });
    const first = page(await listTargets(db, 'acc_1', { limit: 2 }));
    expect(first.items[0]).not.toHaveProperty('pk');
    expect(first.items[0]).not.toHaveProperty('gsi1pk');
    expect(first.nextCursor).toBeTruthy();
    expect(ddbMock.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: 'gsi1',
      ExpressionAttributeValues: { ':p': 'ACCOUNT#acc_1#TARGETS' },
      Limit: 2,
    });

    page(await listTargets(db, 'acc_1', { limit: 2, cursor: first.nextCursor! }));
    expect(ddbMock.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toMatchObject({
      gsi1pk: 'ACCOUNT#acc_1#TARGETS',
    });

    expect(await listTargets(db, 'acc_2', { limit: 2, cursor: first.nextCursor! })).toEqual({
      kind: 'invalid_cursor',
    });
    expect(await listTargets(db, 'acc_1', { limit: 2, cursor: 'garbage!' })).toEqual({
      kind: 'invalid_cursor',
    });
    // A refused cursor never reaches DynamoDB.
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('the last page has no cursor', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    expect(await listTargets(db, 'acc_1', { limit: 2 })).toEqual({
      kind: 'page',
      items: [],
      nextCursor: null,
    });
  });
});
