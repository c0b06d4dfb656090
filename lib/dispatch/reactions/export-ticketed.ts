import { recordFindingTicket } from '../../db/finding-tickets-store.ts';
import { getScanRun } from '../../db/scan-runs-store.ts';
import { getExport } from '../../db/ticket-exports-store.ts';
import { type Reaction, reaction } from '../reaction.ts';

/** Findings written at a time: a 100-finding export is 10 short rounds of conditional puts. */
const CONCURRENCY = 10;

/**
 * A ticket export was delivered and the receiver named its ticket → the ticket is recorded for each
 * of the export's findings, so a later export of one of them is flagged (docs/ticket-exports.md,
 * "Ticket references"). Driven from the committed change, off the delivery's critical path; a
 * replayed record writes the same items again, and an older ticket never replaces a newer one.
 */
export const exportTicketed: Reaction = reaction({
  name: 'export-ticketed',
  // The receiver named its ticket: `ticket.id` is a string.
  on: { sk: 'EXPORT', statusChangedTo: 'exported', newImage: { 'ticket.id': 'present' } },
  run: async (change, rt) => {
    const exportId = change.newImage?.id;
    if (typeof exportId !== 'string') return;
    const exp = await getExport(rt.db, exportId, true);
    const ticket = exp?.ticket;
    if (!exp || !ticket) return;
    const projectId = exp.project_id ?? (await getScanRun(rt.db, exp.scan_run_id))?.project_id;
    if (!projectId) return;
    const ticketedAt = exp.delivered_at ?? exp.updated_at;
    const fingerprints = [...exp.issue_fingerprints];
    for (let i = 0; i < fingerprints.length; i += CONCURRENCY) {
      await Promise.all(
        fingerprints.slice(i, i + CONCURRENCY).map((fingerprint) =>
          recordFindingTicket(rt.db, {
            project_id: projectId,
            fingerprint,
            ticket,
            export_id: exp.id,
            target_id: exp.target_id,
            ticketed_at: ticketedAt,
          }),
        ),
      );
    }
  },
});
