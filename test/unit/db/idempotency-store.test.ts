import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { claimIdempotencyKey, releaseIdempotencyKey } from '../../../lib/db/idempotency-store.ts';
import { conditionFailed as ccf } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const key = { pk: 'IDEMPOTENCY#acc#route#k', sk: 'IDEMPOTENCY' };

beforeEach(() => ddbMock.reset());

describe('idempotency store', () => {
  it('claims a fresh key with a conditional put', async () => {
    ddbMock.on(PutCommand).resolves({});
    const res = await claimIdempotencyKey(db, key, 'fp', {
      ttlSeconds: 86400,
      lockSeconds: 30,
      nowMs: 1_000_000,
    });
    expect(res.kind).toBe('claimed');
    const input = ddbMock.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({
      status: 'in_progress',
      fingerprint: 'fp',
      lock_expires_at: 1030,
      expires_at: 87400,
    });
  });

  it('reports a different body as a mismatch, from the item returned with the failed condition', async () => {
    ddbMock
      .on(PutCommand)
      .rejects(ccf({ ...key, status: 'completed', fingerprint: 'other', claim_id: 'c', expires_at: 9e9 }));
    expect((await claimIdempotencyKey(db, key, 'fp', { ttlSeconds: 1, lockSeconds: 1 })).kind).toBe(
      'mismatch',
    );
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('replays a completed outcome and reports a live claim as in progress with the remaining lock time', async () => {
    const response = { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: '{}' };
    ddbMock
      .on(PutCommand)
      .rejectsOnce(
        ccf({ ...key, status: 'completed', fingerprint: 'fp', claim_id: 'c', expires_at: 9e9, response }),
      )
      .rejectsOnce(
        ccf({
          ...key,
          status: 'in_progress',
          fingerprint: 'fp',
          claim_id: 'c',
          expires_at: 9e9,
          lock_expires_at: 1012,
        }),
      );
    expect(await claimIdempotencyKey(db, key, 'fp', { ttlSeconds: 1, lockSeconds: 1 })).toEqual({
      kind: 'replay',
      response,
    });
    expect(
      await claimIdempotencyKey(db, key, 'fp', { ttlSeconds: 1, lockSeconds: 1, nowMs: 1_000_000 }),
    ).toEqual({
      kind: 'in_progress',
      retryAfterSeconds: 12,
    });
  });

  it('falls back to a consistent read when the failed condition returns no item', async () => {
    ddbMock.on(PutCommand).rejects(ccf());
    ddbMock
      .on(GetCommand)
      .resolves({ Item: { ...key, status: 'in_progress', fingerprint: 'x', claim_id: 'c' } });
    expect((await claimIdempotencyKey(db, key, 'fp', { ttlSeconds: 1, lockSeconds: 1 })).kind).toBe(
      'mismatch',
    );
    expect(ddbMock.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
  });

  it('releases only its own open claim; a claim taken over, or one that holds an answer, is left alone', async () => {
    ddbMock.on(DeleteCommand).rejects(ccf());
    await expect(releaseIdempotencyKey(db, key, 'mine')).resolves.toBeUndefined();
    const input = ddbMock.commandCalls(DeleteCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('claim_id = :claim AND #status = :in_progress');
    expect(input.ExpressionAttributeValues).toEqual({ ':claim': 'mine', ':in_progress': 'in_progress' });
  });
});
