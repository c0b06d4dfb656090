import type { SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../db/client.ts';
import type { DeliveryMessage } from './definitions.ts';
import { readHints, sendDeliveryMessage } from './deliveries-queue.ts';

/**
 * Re-enqueues every delivery that is still in flight according to DynamoDB (queued, delivering,
 * retry_scheduled). For the local stack, whose SQS server keeps messages in memory only: after a
 * restart, deliveries continue from their stored state. Duplicate messages are harmless (the worker's
 * lease and state checks drop them; a retry that is not due yet waits for next_attempt_at).
 * A table Scan: meant for the local stack, not for production tables.
 */
export async function redrivePendingDeliveries(db: Db, sqs: SQSClient, queueUrl: string): Promise<number> {
  let sent = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: 'sk IN (:export, :event) AND #status IN (:queued, :delivering, :retry)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':export': 'EXPORT',
          ':event': 'EVENT',
          ':queued': 'queued',
          ':delivering': 'delivering',
          ':retry': 'retry_scheduled',
        },
        ProjectionExpression: 'id, sk, target_id, account_id',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      const message: DeliveryMessage =
        item.sk === 'EXPORT'
          ? { type: 'ticket_export', export_id: String(item.id), ...readHints(item) }
          : { type: 'event', event_id: String(item.id), ...readHints(item) };
      await sendDeliveryMessage(sqs, queueUrl, message);
      sent++;
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return sent;
}
