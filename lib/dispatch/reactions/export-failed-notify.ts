import type { ExportItem } from '../../db/ticket-exports-store.ts';
import { notifyExportFailed } from '../../domain/event-deliveries.ts';
import { changedTo, type Reaction } from '../reaction.ts';

/**
 * A ticket export's round ended `failed` → one `export.failed` event delivery to each other active
 * target of the account subscribed to it (one per round: a retried export that fails again is a new
 * event). Built from the committed state item alone.
 */
export const exportFailedNotify: Reaction = {
  name: 'export-failed-notify',
  matches: (change) => change.keys.sk === 'EXPORT' && changedTo(change, 'status', 'failed'),
  run: async (change, rt) => {
    await notifyExportFailed(rt.db, change.newImage as unknown as ExportItem);
  },
};
