import { required } from '../../config.ts';
import { readHints, sendDeliveryMessage } from '../../queue/deliveries-queue.ts';
import { type Reaction, reaction } from '../reaction.ts';

/** An event delivery (e.g. scan_run.failed to one target) was created `queued` → enqueue it. */
export const eventDeliveryQueued: Reaction = reaction({
  name: 'event-delivery-queued',
  on: { sk: 'EVENT', statusChangedTo: 'queued' },
  run: async (change, rt) => {
    const eventId = change.newImage?.id;
    if (typeof eventId !== 'string') return;
    await sendDeliveryMessage(rt.sqs, required(rt.config.deliveriesQueueUrl, 'WRO_DELIVERIES_QUEUE_URL'), {
      type: 'event',
      event_id: eventId,
      ...readHints(change.newImage ?? {}),
    });
  },
});
