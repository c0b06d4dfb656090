import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import type { DeliveryRef, DeliveryState } from './deliveries-store.ts';
import { conditionFailure } from './dynamo.ts';
import { keys } from './keys.ts';

/** Webhook event types carried by the delivery pipeline besides ticket exports. */
export const WEBHOOK_EVENT_TYPES = ['scan_run.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * One event delivery to one target (pk EVENT#<id>, sk EVENT), with its attempt log in the same
 * partition. Ids are deterministic (event type + subject + target), so a replayed stream record finds
 * the item already there and creates nothing new.
 */
export interface EventDeliveryItem extends DeliveryState {
  id: string;
  event_type: WebhookEventType;
  scan_run_id: number;
  created_at: string;
}

export const eventRef = (eventId: string): DeliveryRef => ({
  key: keys.eventDelivery(eventId),
  partition: keys.eventPartition(eventId),
});

/** Creates the event delivery unless it exists; true when this call created it. */
export async function putEventDeliveryOnce(db: Db, item: EventDeliveryItem): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          ...keys.eventDelivery(item.id),
          ...item,
          gsi1pk: keys.accountIndex(item.account_id, 'EVENTS'),
          gsi1sk: `${item.created_at}#${item.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailure(err)) return false;
    throw err;
  }
}
