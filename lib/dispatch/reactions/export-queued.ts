import { required } from '../../config.ts';
import { readHints, sendDeliveryMessage } from '../../queue/deliveries-queue.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * A ticket export's status changed to `queued` (approval, or a retry request) → one message on the
 * deliveries queue. Driven from the committed change, so a crash between the approval and the send
 * loses nothing; a replayed stream record sends a duplicate message, which the worker's lease makes
 * harmless.
 */
export const exportQueued: Reaction = reaction({
  name: 'export-queued',
  on: { sk: 'EXPORT', statusChangedTo: 'queued' },
  run: async (change, rt) => {
    const exportId = change.newImage?.id;
    if (typeof exportId !== 'string') return;
    await sendDeliveryMessage(rt.sqs, required(rt.config.deliveriesQueueUrl, 'WRO_DELIVERIES_QUEUE_URL'), {
      type: 'ticket_export',
      export_id: exportId,
      ...readHints(change.newImage ?? {}),
    });
  },
});
