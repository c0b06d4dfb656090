import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookEventType } from '../domain/delivery-vocabulary.ts';
import type { Db } from './client.ts';
import { commitWrites } from './commit.ts';
import {
  type DeliveryPayload,
  type DeliveryRef,
  type DeliveryState,
  deliveryPuts,
  targetIndexKeys,
} from './deliveries-store.ts';
import { stripKeys } from './dynamo.ts';
import { keys } from './keys.ts';

/**
 * One event delivery to one target (pk EVENT#<id>, sk EVENT), with its payload (sk PAYLOAD) and
 * attempt log in the same partition. Ids are deterministic (event type + subject + target), so a
 * replayed stream record finds the item already there and creates nothing new.
 */
export interface EventDeliveryItem extends DeliveryState, DeliveryPayload {
  id: string;
  event_type: WebhookEventType;
  /** What the event is about (a scan run id, a target id, an export id and round). */
  subject: string;
  /** scan_run.failed only. */
  scan_run_id?: number;
  created_at: string;
}

export const eventRef = (eventId: string): DeliveryRef => ({
  key: keys.eventDelivery(eventId),
  payload: keys.deliveryPayload(keys.eventPartition(eventId)),
  partition: keys.eventPartition(eventId),
});

/** Creates the event delivery (state and payload) unless it exists; true when this call created it. */
export async function putEventDeliveryOnce(db: Db, item: EventDeliveryItem): Promise<boolean> {
  const { body, ...state } = item;
  const outcome = await commitWrites(
    db,
    deliveryPuts(
      db,
      eventRef(item.id),
      {
        ...state,
        gsi1pk: keys.accountIndex(item.account_id, 'EVENTS'),
        gsi1sk: `${item.created_at}#${item.id}`,
        ...(item.target_id ? targetIndexKeys(item.target_id, item.created_at, item.id) : {}),
      },
      { body },
    ),
  );
  return outcome.kind === 'committed';
}

/** An event delivery's state (without its body), or undefined when there is none. */
export async function getEventDelivery(
  db: Db,
  eventId: string,
): Promise<Omit<EventDeliveryItem, 'body'> | undefined> {
  const res = await db.doc.send(new GetCommand({ TableName: db.table, Key: keys.eventDelivery(eventId) }));
  return stripKeys<Omit<EventDeliveryItem, 'body'>>(res.Item);
}
