import { required } from '../../config.ts';
import { readHints, sendDeliveryMessage } from '../../queue/deliveries-queue.ts';
import { changedTo, type Reaction } from '../reaction.ts';

/** An event delivery (e.g. scan_run.failed to one target) was created `queued` → enqueue it. */
export const eventDeliveryQueued: Reaction = {
  name: 'event-delivery-queued',
  matches: (change) => change.keys.sk === 'EVENT' && changedTo(change, 'status', 'queued'),
  run: async (change, rt) => {
    const eventId = change.newImage?.id;
    if (typeof eventId !== 'string') return;
    await sendDeliveryMessage(rt.sqs, required(rt.config.deliveriesQueueUrl, 'WRO_DELIVERIES_QUEUE_URL'), {
      type: 'event',
      event_id: eventId,
      ...readHints(change.newImage ?? {}),
    });
  },
};
