import type { ScanRunItem } from '../../db/scan-runs-store.ts';
import { notifyScanRunFailed } from '../../domain/event-deliveries.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * A scan run's status changed to `failed` → one `scan_run.failed` event delivery per active target of
 * the account subscribed to it. Ids are deterministic, so a replayed record creates nothing new; each
 * created delivery is enqueued by the event-delivery-queued reaction from its own committed insert.
 */
export const scanRunFailedNotify: Reaction = reaction({
  name: 'scan-run-failed-notify',
  on: { sk: 'SCANRUN', statusChangedTo: 'failed' },
  run: async (change, rt) => {
    await notifyScanRunFailed(rt.db, change.newImage as unknown as ScanRunItem);
  },
});
