import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureQueues } from '../../../infra/local/provision.ts';
import type { Db } from '../../../lib/db/client.ts';
import { keys } from '../../../lib/db/keys.ts';
import { redriveMaxReceiveCount as localRedriveLimit } from '../../../lib/queue/definitions.ts';
import {
  changeMessageVisibility,
  readRedriveMaxReceiveCount,
  sendDeliveryMessage,
} from '../../../lib/queue/deliveries-queue.ts';
import { redrivePendingDeliveries } from '../../../lib/queue/redrive-pending.ts';
import { createTestTable, uniqueName } from '../../support/local-stack.ts';
import { putPendingExport, putQueuedExport } from './fixtures.ts';

/** The SQS adapter against the local SQS server, and the local restart redrive against DynamoDB Local. */
let sqs: SQSClient;
let db: Db;
let queueUrl: string;

beforeAll(async () => {
  sqs = new SQSClient({
    endpoint: inject('sqsEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  queueUrl = (await ensureQueues(sqs, `${uniqueName('q')}-`, 4)).deliveriesUrl;
  db = await createTestTable();
});
afterAll(() => sqs?.destroy());

async function receiveAll(): Promise<{ body: string; receipt: string }[]> {
  const out: { body: string; receipt: string }[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!res.Messages?.length) return out;
    out.push(...res.Messages.map((m) => ({ body: m.Body ?? '', receipt: m.ReceiptHandle ?? '' })));
  }
}

describe('deliveries queue adapter on local SQS', () => {
  it('sends, and a visibility change to 0 makes a received message available again', async () => {
    await sendDeliveryMessage(sqs, queueUrl, { type: 'event', event_id: `evt_${'a'.repeat(32)}` });
    const [first] = await receiveAll();
    expect(JSON.parse(first!.body)).toEqual({ type: 'event', event_id: `evt_${'a'.repeat(32)}` });
    await changeMessageVisibility(sqs, queueUrl, first!.receipt, 0);
    const again = await receiveAll();
    expect(again.map((m) => m.body)).toEqual([first!.body]);
  });

  it('reads the queue redrive limit (the local one, above the attempt limit)', async () => {
    expect(await readRedriveMaxReceiveCount(sqs, queueUrl)).toBe(localRedriveLimit(4, 'local'));
  });
});

describe('local restart redrive', () => {
  it('re-enqueues exactly the deliveries still in flight', async () => {
    const queued = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_x' });
    const scheduled = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_x' });
    const done = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_x' });
    await putPendingExport(db, { accountId: 'acc_1' });
    const setStatus = (id: string, status: string) =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.ticketExport(id),
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': status },
        }),
      );
    await setStatus(scheduled.id, 'retry_scheduled');
    await setStatus(done.id, 'exported');
    expect(await redrivePendingDeliveries(db, sqs, queueUrl)).toBe(2);
    const bodies = (await receiveAll()).map((m) => JSON.parse(m.body).export_id).sort();
    expect(bodies).toEqual([queued.id, scheduled.id].sort());
  });
});
