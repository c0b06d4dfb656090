import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../../lib/db/client.ts';
import { NO_DELIVERY_OUTCOME } from '../../../lib/db/deliveries-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { type ExportItem, putExport } from '../../../lib/db/ticket-exports-store.ts';
import { newId } from '../../../lib/ids.ts';

/**
 * A ticket export item as prepareExport writes it, for tests of the delivery worker that start from an
 * approved export (the preparation itself is covered through the API in exports-api.test.ts).
 */
export async function putQueuedExport(
  db: Db,
  input: { accountId: string; targetId: string; title?: string; bodyBytes?: number },
): Promise<ExportItem> {
  return putExportFixture(db, { ...input, status: 'queued' });
}

/** Makes an export's lease expire now, as if its worker had been gone for longer than the lease. */
export async function expireLease(db: Db, exportId: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: keys.ticketExport(exportId),
      UpdateExpression: 'SET lease_expires_at = :past',
      ExpressionAttributeValues: { ':past': 0 },
    }),
  );
}

/** A prepared export awaiting approval (as POST /api/ticket-exports leaves it). */
export async function putPendingExport(
  db: Db,
  input: { accountId: string; title?: string; previewSafe?: boolean },
): Promise<ExportItem> {
  return putExportFixture(db, { ...input, status: 'pending_approval', targetId: null });
}

async function putExportFixture(
  db: Db,
  input: {
    accountId: string;
    targetId: string | null;
    title?: string;
    status: 'queued' | 'pending_approval';
    previewSafe?: boolean;
    /** Pads the issue's description so the body has about this many bytes. */
    bodyBytes?: number;
  },
): Promise<ExportItem> {
  const pending = input.status === 'pending_approval';
  const id = newId('export');
  const now = new Date().toISOString();
  const body = JSON.stringify({
    type: 'ticket_export',
    export_id: id,
    title: input.title ?? 'Fix the findings',
    scan_run: { scan_run_id: 1, project_id: newId('project'), completed_at: now },
    issues: [
      {
        fingerprint: 'fp-1',
        severity: 'high',
        title: 'Missing CSP',
        description: 'x'.repeat(Math.max(0, (input.bodyBytes ?? 0) - 300)),
      },
    ],
    created_at: now,
  });
  const item: ExportItem = {
    id,
    account_id: input.accountId,
    scan_run_id: 1,
    issue_fingerprints: ['fp-1'],
    title: input.title ?? 'Fix the findings',
    body,
    preview_safe: input.previewSafe ?? true,
    preview_findings: input.previewSafe === false ? ['github_token'] : [],
    status: input.status,
    target_id: input.targetId,
    delivery_id: newId('delivery'),
    round: pending ? 0 : 1,
    attempts: 0,
    log_seq: 0,
    ...NO_DELIVERY_OUTCOME,
    created_at: now,
    updated_at: now,
    approved_at: pending ? null : now,
  };
  await putExport(db, item);
  return item;
}
