import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketRef } from '../domain/ticket-ref.ts';
import type { Db } from './client.ts';
import { conditionFailure, getItems } from './dynamo.ts';
import { keys } from './keys.ts';

/**
 * Which ticket a finding (a fingerprint of a project) got, from the export that carried it
 * (docs/ticket-exports.md, "Ticket references"). One item per finding; the latest ticket wins.
 */
export interface FindingTicketItem {
  project_id: string;
  fingerprint: string;
  ticket: TicketRef;
  export_id: string;
  target_id: string | null;
  /** When the export was delivered (ISO time): a replayed older record never replaces a newer ticket. */
  ticketed_at: string;
}

/** Writes the finding's ticket unless a later one is stored; false when a later one was kept. */
export async function recordFindingTicket(db: Db, item: FindingTicketItem): Promise<boolean> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...keys.findingTicket(item.project_id, item.fingerprint), ...item },
        ConditionExpression: 'attribute_not_exists(pk) OR ticketed_at <= :at',
        ExpressionAttributeValues: { ':at': item.ticketed_at },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailure(err)) return false;
    throw err;
  }
}

/** The stored tickets of these fingerprints of a project, by fingerprint (findings without one are absent). */
export async function readFindingTickets(
  db: Db,
  projectId: string,
  fingerprints: string[],
): Promise<Map<string, FindingTicketItem>> {
  const items = await getItems<FindingTicketItem>(
    db,
    fingerprints.map((fp) => keys.findingTicket(projectId, fp)),
  );
  return new Map(fingerprints.flatMap((fp, i) => (items[i] ? [[fp, items[i]] as const] : [])));
}
