import type { TicketRef } from '../domain/ticket-ref.ts';
import type { Db } from './client.ts';
import { commitWrites, unexpectedConditionFailure } from './commit.ts';
import {
  type DeliveryPayload,
  type DeliveryRef,
  type DeliveryState,
  deliveryPuts,
  getDeliveryWithPayload,
  targetIndexKeys,
} from './deliveries-store.ts';
import type { TransactItem } from './dynamo.ts';
import { keys } from './keys.ts';

/**
 * A ticket export: its state item (pk EXPORT#<id>, sk EXPORT) and its payload item (sk PAYLOAD: the
 * body and the fingerprints, written once); the attempt log lives in the same partition (sk
 * ATTEMPT#<seq>, lib/db/deliveries-store.ts).
 */
export interface ExportItem extends DeliveryState, ExportPayload {
  id: string;
  scan_run_id: number;
  /** The scan run's project (absent on exports prepared before ticket references). */
  project_id?: string;
  /** The ticket the receiver named in its 2xx answer, once exported. */
  ticket?: TicketRef;
  title: string;
  preview_safe: boolean;
  preview_findings: string[];
  created_at: string;
  approved_at: string | null;
}

/** The part of an export that never changes once prepared; up to 256 KB of body and 100 fingerprints. */
export interface ExportPayload extends DeliveryPayload {
  issue_fingerprints: string[];
  /** Fingerprints that already had a ticket when the export was prepared (absent on older exports). */
  ticketed_findings?: TicketedFinding[];
}

/** A finding of the export that an earlier export already turned into a ticket. */
export interface TicketedFinding {
  fingerprint: string;
  ticket: TicketRef;
  export_id: string;
}

export const exportRef = (exportId: string): DeliveryRef => ({
  key: keys.ticketExport(exportId),
  payload: keys.deliveryPayload(keys.exportPartition(exportId)),
  partition: keys.exportPartition(exportId),
});

/** The writes that create a prepared export: state and payload, never over existing ones. */
export function exportPuts(db: Db, item: ExportItem): TransactItem[] {
  const { body, issue_fingerprints, ticketed_findings, ...state } = item;
  return deliveryPuts(
    db,
    exportRef(item.id),
    {
      ...state,
      gsi1pk: keys.accountIndex(item.account_id, 'EXPORTS'),
      gsi1sk: `${item.created_at}#${item.id}`,
    },
    { body, issue_fingerprints, ...(ticketed_findings ? { ticketed_findings } : {}) },
  );
}

export async function putExport(db: Db, item: ExportItem): Promise<void> {
  const outcome = await commitWrites(db, exportPuts(db, item));
  if (outcome.kind !== 'committed') unexpectedConditionFailure('putExport')(outcome.failures[0]!);
}

/** The export with its payload (one Query), or undefined. */
export const getExport = (db: Db, exportId: string, consistent = false): Promise<ExportItem | undefined> =>
  getDeliveryWithPayload<ExportItem>(db, exportRef(exportId), consistent);

/**
 * Approval: pending_approval → queued with the target, on a safe preview, as it was read
 * (`seenUpdatedAt`). The SQS message is sent by a dispatcher reaction to this committed change
 * (lib/dispatch/reactions/export-queued.ts). On a failed condition: the export as it is.
 */
export function approveExportWrite(
  db: Db,
  input: {
    exportId: string;
    accountId: string;
    targetId: string;
    seenUpdatedAt: string;
    at: string;
    /** The export's creation time (its place in the target's delivery list). */
    createdAt: string;
  },
): TransactItem {
  const index = targetIndexKeys(input.targetId, input.createdAt, input.exportId);
  return {
    Update: {
      TableName: db.table,
      Key: keys.ticketExport(input.exportId),
      UpdateExpression:
        'SET #status = :queued, target_id = :target, approved_at = :at, updated_at = :at, #round = :one, ' +
        'attempts = :zero, gsi2pk = :tpk, gsi2sk = :tsk',
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
        ':tpk': index.gsi2pk,
        ':tsk': index.gsi2sk,
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
    /** Now, in epoch ms: a `delivering` export is requeued only if its lease expired before it. */
    nowMs: number;
    /** The round's target: the export's own, or another one (the delivery id stays the same). */
    targetId: string;
    /** The export's creation time (its place in the target's delivery list). */
    createdAt: string;
  },
): TransactItem {
  const index = targetIndexKeys(input.targetId, input.createdAt, input.exportId);
  return {
    Update: {
      TableName: db.table,
      Key: keys.ticketExport(input.exportId),
      UpdateExpression:
        'SET #status = :queued, #round = #round + :one, attempts = :zero, retry_after_seconds = :null, ' +
        'next_attempt_at = :null, next_attempt_ms = :null, failure_reason = :null, blocked_reason = :null, ' +
        'updated_at = :at, target_id = :target, gsi2pk = :tpk, gsi2sk = :tsk ' +
        // A lost worker's lease goes, so its late outcome (guarded by lease_id) cannot land.
        'REMOVE lease_id, lease_holder, lease_expires_at',
      ConditionExpression:
        'attribute_exists(pk) AND account_id = :acc AND updated_at = :seen AND ' +
        '(#status IN (:failed, :blocked) OR (#status = :delivering AND lease_expires_at < :now))',
      ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
      ExpressionAttributeValues: {
        ':queued': 'queued',
        ':failed': 'failed',
        ':blocked': 'blocked',
        ':delivering': 'delivering',
        ':now': input.nowMs,
        ':one': 1,
        ':zero': 0,
        ':null': null,
        ':at': input.at,
        ':acc': input.accountId,
        ':seen': input.seenUpdatedAt,
        ':target': input.targetId,
        ':tpk': index.gsi2pk,
        ':tsk': index.gsi2sk,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
