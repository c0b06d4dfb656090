import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import type { DeliveryRef, DeliveryState } from './deliveries-store.ts';
import { stripKeys, type TransactItem } from './dynamo.ts';
import { keys } from './keys.ts';

/**
 * Ticket export items (pk EXPORT#<id>, sk EXPORT); their attempt log lives in the same partition
 * (sk ATTEMPT#<seq>, lib/db/deliveries-store.ts).
 */
export interface ExportItem extends DeliveryState {
  id: string;
  scan_run_id: number;
  issue_fingerprints: string[];
  title: string;
  preview_safe: boolean;
  preview_findings: string[];
  created_at: string;
  approved_at: string | null;
}

export const exportRef = (exportId: string): DeliveryRef => ({
  key: keys.ticketExport(exportId),
  partition: keys.exportPartition(exportId),
});

/** The write that creates a prepared export (never over an existing one). */
export function exportPut(db: Db, item: ExportItem): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: {
        ...keys.ticketExport(item.id),
        ...item,
        gsi1pk: keys.accountIndex(item.account_id, 'EXPORTS'),
        gsi1sk: `${item.created_at}#${item.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function putExport(db: Db, item: ExportItem): Promise<void> {
  const { Put } = exportPut(db, item);
  await db.doc.send(new PutCommand(Put as NonNullable<typeof Put>));
}

export async function getExport(
  db: Db,
  exportId: string,
  consistent = false,
): Promise<ExportItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.ticketExport(exportId), ConsistentRead: consistent }),
  );
  return stripKeys<ExportItem>(res.Item);
}

/**
 * Approval: pending_approval → queued with the target, on a safe preview, as it was read
 * (`seenUpdatedAt`). The SQS message is sent by a dispatcher reaction to this committed change
 * (lib/dispatch/reactions/export-queued.ts). On a failed condition: the export as it is.
 */
export function approveExportWrite(
  db: Db,
  input: { exportId: string; accountId: string; targetId: string; seenUpdatedAt: string; at: string },
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.ticketExport(input.exportId),
      UpdateExpression:
        'SET #status = :queued, target_id = :target, approved_at = :at, updated_at = :at, #round = :one, ' +
        'attempts = :zero',
      ConditionExpression:
        'attribute_exists(pk) AND account_id = :acc AND #status = :pending AND preview_safe = :true ' +
        'AND updated_at = :seen',
      ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
      ExpressionAttributeValues: {
        ':queued': 'queued',
        ':pending': 'pending_approval',
        ':target': input.targetId,
        ':at': input.at,
        ':acc': input.accountId,
        ':true': true,
        ':one': 1,
        ':zero': 0,
        ':seen': input.seenUpdatedAt,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Retry: failed | blocked → queued as it was read, starting a new round (attempts from zero, same
 * delivery id so receivers still dedupe). The reaction enqueues it like an approval.
 */
export function requeueExportWrite(
  db: Db,
  input: {
    exportId: string;
    accountId: string;
    seenUpdatedAt: string;
    at: string;
    /** Send this round to another target (the delivery id stays the same). */
    targetId?: string;
  },
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.ticketExport(input.exportId),
      UpdateExpression:
        'SET #status = :queued, #round = #round + :one, attempts = :zero, retry_after_seconds = :null, ' +
        'next_attempt_at = :null, next_attempt_ms = :null, failure_reason = :null, blocked_reason = :null, ' +
        `updated_at = :at${input.targetId ? ', target_id = :target' : ''}`,
      ConditionExpression:
        'attribute_exists(pk) AND account_id = :acc AND #status IN (:failed, :blocked) AND updated_at = :seen',
      ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
      ExpressionAttributeValues: {
        ':queued': 'queued',
        ':failed': 'failed',
        ':blocked': 'blocked',
        ':one': 1,
        ':zero': 0,
        ':null': null,
        ':at': input.at,
        ':acc': input.accountId,
        ':seen': input.seenUpdatedAt,
        ...(input.targetId ? { ':target': input.targetId } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
