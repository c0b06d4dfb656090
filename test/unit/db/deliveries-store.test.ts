import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import {
  completeAttempt,
  listAttempts,
  markProcessingFailed,
  takeLease,
} from '../../../lib/db/deliveries-store.ts';
import { encodeCursor } from '../../../lib/db/key-cursor.ts';
import { exportRef } from '../../../lib/db/ticket-exports-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const ccf = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => ddbMock.reset());

describe('delivery state writes', () => {
  const ref = exportRef('exp_0123456789abcdef01234567');

  it('the lease is one conditional write without a read; a refusal carries the state as it is', async () => {
    ddbMock
      .on(UpdateCommand)
      .resolves({ Attributes: { pk: 'EXPORT#x', status: 'delivering', lease_id: 'L' } });
    const leased = await takeLease(db, ref, { holder: 'm1', leaseId: 'L', nowMs: 1000, leaseMs: 60_000 });
    expect(leased).toEqual({ kind: 'leased', record: { status: 'delivering', lease_id: 'L' } });
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('#status = :queued');
    expect(input.ConditionExpression).toContain('next_attempt_ms <= :due');
    expect(input.ConditionExpression).toContain('lease_expires_at < :now OR lease_holder = :holder');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':until': 61_000,
      ':holder': 'm1',
      ':due': 2000,
    });
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    ddbMock.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'failed',
        $metadata: {},
        Item: marshall({ pk: 'EXPORT#x', sk: 'EXPORT', status: 'exported' }),
      }),
    );
    expect(await takeLease(db, ref, { holder: 'm2', leaseId: 'L2', nowMs: 1, leaseMs: 1 })).toEqual({
      kind: 'refused',
      current: { status: 'exported' },
    });
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(await takeLease(db, ref, { holder: 'm2', leaseId: 'L2', nowMs: 1, leaseMs: 1 })).toEqual({
      kind: 'refused',
      current: undefined,
    });
  });

  const log = {
    round: 1,
    attempt: 1,
    at: 'now',
    outcome: 'delivered' as const,
    status_code: 200,
    duration_ms: 5,
    error_class: null,
    retry_after_seconds: null,
    response_body: 'ok',
  };
  const next = {
    status: 'exported' as const,
    attempts: 1,
    retry_after_seconds: null,
    next_attempt_at: null,
    next_attempt_ms: null,
    last_error_class: null,
    last_status_code: 200,
    failure_reason: null,
    blocked_reason: null,
    delivered_at: 'now',
  };

  it('records the attempt and the next state in one transaction guarded by the lease', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    expect(await completeAttempt(db, ref, { leaseId: 'L', seq: 3, log, next, at: 'now' })).toBe(true);
    const items = ddbMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    expect(items[0]!.Update!.ConditionExpression).toBe('#status = :delivering AND lease_id = :lease');
    expect(items[0]!.Update!.UpdateExpression).toContain('REMOVE lease_id');
    expect(items[1]!.Put!.Item).toMatchObject({ pk: ref.partition, sk: 'ATTEMPT#000003', status_code: 200 });
  });

  it('reports a lost lease instead of writing', async () => {
    ddbMock.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await completeAttempt(db, ref, { leaseId: 'L', seq: 1, log, next, at: 'now' })).toBe(false);
    ddbMock.on(TransactWriteCommand).rejects(new Error('throttled'));
    await expect(completeAttempt(db, ref, { leaseId: 'L', seq: 1, log, next, at: 'now' })).rejects.toThrow();
  });

  it('marks a poisoned delivery failed unless it is already final', async () => {
    ddbMock.on(UpdateCommand).resolves({});
    expect(await markProcessingFailed(db, ref, 'now')).toBe(true);
    expect(ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe(
      '#status IN (:queued, :delivering, :retry)',
    );
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(await markProcessingFailed(db, ref, 'now')).toBe(false);
  });

  it('lists the attempt log of one partition only', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [{ pk: ref.partition, sk: 'ATTEMPT#000001', ...log }] });
    expect(await listAttempts(db, ref.partition, { limit: 10 })).toEqual({
      kind: 'page',
      items: [log],
      nextCursor: null,
    });
    const input = ddbMock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.ExpressionAttributeValues).toEqual({ ':p': ref.partition, ':prefix': 'ATTEMPT#' });

    const own = encodeCursor({ pk: ref.partition, sk: 'ATTEMPT#000001' })!;
    await listAttempts(db, ref.partition, { limit: 10, cursor: own });
    expect(ddbMock.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({
      pk: ref.partition,
      sk: 'ATTEMPT#000001',
    });
    const other = encodeCursor({ pk: 'EXPORT#exp_other', sk: 'ATTEMPT#000001' })!;
    expect(await listAttempts(db, ref.partition, { limit: 10, cursor: other })).toEqual({
      kind: 'invalid_cursor',
    });
    const notAnAttempt = encodeCursor({ pk: ref.partition, sk: 'EXPORT' })!;
    expect(await listAttempts(db, ref.partition, { limit: 10, cursor: notAnAttempt })).toEqual({
      kind: 'invalid_cursor',
    });
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
