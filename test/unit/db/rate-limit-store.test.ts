import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { consumeRateLimit } from '../../../lib/db/rate-limit-store.ts';
import { conditionFailed as ccf } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddbMock.reset());

describe('rate limit store', () => {
  it('counts with one conditional update and denies when the condition fails', async () => {
    ddbMock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { request_count: 3 } })
      .rejectsOnce(ccf());
    const ok = await consumeRateLimit(db, 'token#t', 10, 60, 120_000);
    expect(ok).toMatchObject({ allowed: true, remaining: 7, limit: 10, resetSeconds: 60 });
    const denied = await consumeRateLimit(db, 'token#t', 10, 60, 150_000);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 30 });
    expect(ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toContain('< :limit');
  });

  it('a throttled count is retried once the SDK gave up, not answered 500', async () => {
    const throttled = () =>
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    ddbMock
      .on(UpdateCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ Attributes: { request_count: 1 } });
    expect(await consumeRateLimit(db, 'token#t', 10, 60, 120_000)).toMatchObject({
      allowed: true,
      remaining: 9,
    });
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(3);
  });
});
