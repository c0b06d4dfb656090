import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { eventRef, putEventDeliveryOnce } from '../../../lib/db/events-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const exists = () =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });
const item = {
  id: 'evt_x',
  account_id: 'acc_1',
  created_at: 'now',
  status: 'queued',
  body: '{"a":1}',
} as never;

beforeEach(() => ddbMock.reset());

describe('events store', () => {
  it('creates an event delivery and its payload once (deterministic id)', async () => {
    ddbMock.on(TransactWriteCommand).resolvesOnce({}).rejects(exists());
    expect(await putEventDeliveryOnce(db, item)).toBe(true);
    expect(await putEventDeliveryOnce(db, item)).toBe(false);
    const [state, payload] = ddbMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(state!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(state!.Put!.Item).toEqual({
      pk: 'EVENT#evt_x',
      sk: 'EVENT',
      id: 'evt_x',
      account_id: 'acc_1',
      created_at: 'now',
      status: 'queued',
      gsi1pk: 'ACCOUNT#acc_1#EVENTS',
      gsi1sk: 'now#evt_x',
    });
    expect(payload!.Put!.Item).toEqual({ pk: 'EVENT#evt_x', sk: 'PAYLOAD', body: '{"a":1}' });
  });

  it('any other error is not an answer', async () => {
    ddbMock.on(TransactWriteCommand).rejects(new Error('network down'));
    await expect(putEventDeliveryOnce(db, item)).rejects.toThrow('network down');
  });

  it('its payload and attempt log share its partition', () => {
    expect(eventRef('evt_x')).toEqual({
      key: { pk: 'EVENT#evt_x', sk: 'EVENT' },
      payload: { pk: 'EVENT#evt_x', sk: 'PAYLOAD' },
      partition: 'EVENT#evt_x',
    });
  });
});
