import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { eventRef, putEventDeliveryOnce } from '../../../lib/db/events-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const ccf = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

beforeEach(() => ddbMock.reset());

describe('events store', () => {
  it('creates an event delivery once (deterministic id)', async () => {
    ddbMock.on(PutCommand).resolvesOnce({}).rejects(ccf());
    const item = { id: 'evt_x', account_id: 'acc_1', created_at: 'now' } as never;
    expect(await putEventDeliveryOnce(db, item)).toBe(true);
    expect(await putEventDeliveryOnce(db, item)).toBe(false);
    const input = ddbMock.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({
      pk: 'EVENT#evt_x',
      sk: 'EVENT',
      gsi1pk: 'ACCOUNT#acc_1#EVENTS',
      gsi1sk: 'now#evt_x',
    });
  });

  it('any other error is not an answer', async () => {
    ddbMock.on(PutCommand).rejects(new Error('throttled'));
    await expect(
      putEventDeliveryOnce(db, { id: 'evt_x', account_id: 'acc_1', created_at: 'now' } as never),
    ).rejects.toThrow('throttled');
  });

  it('its attempt log shares its partition', () => {
    expect(eventRef('evt_x')).toEqual({ key: { pk: 'EVENT#evt_x', sk: 'EVENT' }, partition: 'EVENT#evt_x' });
  });
});
