import type { ExportItem } from '../../db/ticket-exports-store.ts';
import { notifyExportFailed } from '../../domain/event-deliveries.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * A ticket export's round ended `failed` → one `export.failed` event delivery to each other active
 * target of the account subscribed to it (one per round: a retried export that fails again is a new
 * event). Built from the committed state item alone.
 */
export const exportFailedNotify: Reaction = reaction({
  name: 'export-failed-notify',
  on: { sk: 'EXPORT', statusChangedTo: 'failed' },
  run: async (change, rt) => {
    await notifyExportFailed(rt.db, change.newImage as unknown as ExportItem);
  },
});
