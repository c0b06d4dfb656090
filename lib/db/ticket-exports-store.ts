import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, isAwsError, NotFoundError } from '../errors.ts';
import type { Db } from './client.ts';
import type { DeliveryRef, DeliveryState } from './deliveries-store.ts';
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

function strip(item: Record<string, unknown> | undefined): ExportItem | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest } = item;
  return rest as unknown as ExportItem;
}

export async function putExport(db: Db, item: ExportItem): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...keys.ticketExport(item.id),
        ...item,
        gsi1pk: keys.accountIndex(item.account_id, 'EXPORTS'),
        gsi1sk: `${item.created_at}#${item.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getExport(
  db: Db,
  exportId: string,
  consistent = false,
): Promise<ExportItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.ticketExport(exportId), ConsistentRead: consistent }),
  );
  return strip(res.Item);
}

function oldImage(err: unknown): Record<string, unknown> | undefined {
  const raw = (err as { Item?: Record<string, AttributeValue> }).Item;
  return raw ? unmarshall(raw) : undefined;
}

/**
 * Approval: ONE conditional write, pending_approval → queued, with the target. The SQS message is
 * sent by a dispatcher reaction to this committed change (lib/dispatch/reactions/export-queued.ts).
 */
export async function approveExport(
  db: Db,
  input: { exportId: string; accountId: string; targetId: string; at: string },
): Promise<ExportItem> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(input.exportId),
        UpdateExpression:
          'SET #status = :queued, target_id = :target, approved_at = :at, updated_at = :at, #round = :one, ' +
          'attempts = :zero',
        ConditionExpression:
          'attribute_exists(pk) AND account_id = :acc AND #status = :pending AND preview_safe = :true',
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
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return strip(res.Attributes) as ExportItem;
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    const old = oldImage(err);
    if (!old || old.account_id !== input.accountId) throw new NotFoundError('Export not found.');
    if (old.status !== 'pending_approval') {
      throw new ConflictError(
        `The export is ${String(old.status)}; only pending_approval exports can be approved.`,
        'EXPORT_NOT_PENDING',
      );
    }
    throw new ConflictError(
      'The preview still contains something that looks like a secret; prepare a new export.',
      'PREVIEW_NOT_SAFE',
    );
  }
}

/**
 * Retry: ONE conditional write, failed | blocked → queued, starting a new round (attempts from zero,
 * same delivery id so receivers still dedupe). The reaction enqueues it like an approval.
 */
export async function requeueExport(
  db: Db,
  input: { exportId: string; accountId: string; at: string },
): Promise<ExportItem> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(input.exportId),
        UpdateExpression:
          'SET #status = :queued, #round = #round + :one, attempts = :zero, retry_after_seconds = :null, ' +
          'next_attempt_at = :null, next_attempt_ms = :null, failure_reason = :null, blocked_reason = :null, ' +
          'updated_at = :at',
        ConditionExpression: 'attribute_exists(pk) AND account_id = :acc AND #status IN (:failed, :blocked)',
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
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return strip(res.Attributes) as ExportItem;
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    const old = oldImage(err);
    if (!old || old.account_id !== input.accountId) throw new NotFoundError('Export not found.');
    throw new ConflictError(
      `The export is ${String(old.status)}; only failed or blocked exports can be retried.`,
      'EXPORT_NOT_RETRYABLE',
    );
  }
}
