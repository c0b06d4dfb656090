import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportStatus } from '../domain/delivery-vocabulary.ts';
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
import { projectionOf, stripKeys, type TransactItem } from './dynamo.ts';
import {
  createdAtListKey,
  idSource,
  listIndexNewestFirst,
  MAX_EVALUATED_ITEMS,
  SORT_KEY_TIME,
  WHOLE_PARTITION,
} from './index-list.ts';
import { type CursorKey, decodeCursor, encodeCursor, GSI2_KEY, type ListOutcome } from './key-cursor.ts';
import { keys } from './keys.ts';
import { TABLE } from './table-definition.ts';

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

/**
 * What the exports list shows of an export: its state item's fields, never the payload (the body can
 * be 256 KB; a page of 100 would pass Lambda's 6 MB answer). Exports written before the payload item
 * existed hold their body inline, and it is not read either.
 */
export const EXPORT_SUMMARY_ATTRIBUTES = [
  'id',
  'account_id',
  'status',
  'scan_run_id',
  'project_id',
  'title',
  'target_id',
  'delivery_id',
  'round',
  'attempts',
  'last_error_class',
  'last_status_code',
  'retry_after_seconds',
  'next_attempt_at',
  'failure_reason',
  'blocked_reason',
  'preview_safe',
  'ticket',
  'created_at',
  'updated_at',
  'approved_at',
  'delivered_at',
] as const;
export type ExportSummaryItem = Pick<ExportItem, (typeof EXPORT_SUMMARY_ATTRIBUTES)[number]>;

export interface ExportListFilter {
  status?: ExportStatus;
  targetId?: string;
  scanRunId?: number;
}

const matches = (e: ExportSummaryItem, accountId: string, f: ExportListFilter) =>
  e.account_id === accountId &&
  (f.status === undefined || e.status === f.status) &&
  (f.targetId === undefined || e.target_id === f.targetId) &&
  (f.scanRunId === undefined || e.scan_run_id === f.scanRunId);

const isExportListKey = createdAtListKey('export', keys.ticketExport);

/**
 * An account's exports, newest first, filtered by status, target and scan run, one page at a time.
 * With a target: that target's deliveries (gsi2, whole items, lib/db/deliveries-store.ts), filtered in
 * the query; else the account's exports (gsi1, keys only), filtered once read. The caller has checked
 * that the target is the account's; the account is part of every filter all the same.
 */
export function listExports(
  db: Db,
  accountId: string,
  filter: ExportListFilter,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<ExportSummaryItem>> {
  if (filter.targetId !== undefined)
    return listTargetExports(db, accountId, { ...filter, targetId: filter.targetId }, page);
  const filtered = filter.status !== undefined || filter.scanRunId !== undefined;
  return listIndexNewestFirst<ExportSummaryItem>(db, {
    partition: keys.accountIndex(accountId, 'EXPORTS'),
    ranges: [WHOLE_PARTITION],
    isListKey: isExportListKey,
    attributes: EXPORT_SUMMARY_ATTRIBUTES,
    ...(filtered ? { filter: (e: ExportSummaryItem) => matches(e, accountId, filter) } : {}),
    limit: page.limit,
    cursor: page.cursor,
  });
}

/** A target's deliveries partition holds its exports (`EXPORT#…`) and its event deliveries (`EVENT#…`). */
const DELIVERY_SORT_KEY = new RegExp(`^${SORT_KEY_TIME}#(${idSource('export')}|${idSource('event')})$`);
const isDeliveryListKey = (key: CursorKey) => {
  const id = DELIVERY_SORT_KEY.exec(key.gsi2sk ?? '')?.[1];
  if (id === undefined) return false;
  const own = id.startsWith('exp_') ? keys.ticketExport(id) : keys.eventDelivery(id);
  return key.pk === own.pk && key.sk === own.sk;
};

/**
 * One page of a target's exports (gsi2 projects whole items, so the filter runs in the query): Queries
 * until `limit + 1` exports matched, the partition ends, or MAX_EVALUATED_ITEMS entries were read.
 */
async function listTargetExports(
  db: Db,
  accountId: string,
  filter: ExportListFilter & { targetId: string },
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<ExportSummaryItem>> {
  const partition = keys.targetDeliveries(filter.targetId);
  const start = decodeCursor(page.cursor, {
    attrs: GSI2_KEY,
    partition: { attr: 'gsi2pk', value: partition },
  });
  if (start === 'invalid' || (start && !isDeliveryListKey(start))) return { kind: 'invalid_cursor' };
  const conditions = ['sk = :export', 'account_id = :acc'];
  const values: Record<string, unknown> = { ':p': partition, ':export': 'EXPORT', ':acc': accountId };
  const names: Record<string, string> = {};
  if (filter.status !== undefined) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.scanRunId !== undefined) {
    conditions.push('scan_run_id = :run');
    values[':run'] = filter.scanRunId;
  }
  const projection = projectionOf([...GSI2_KEY, ...EXPORT_SUMMARY_ATTRIBUTES]);
  const want = page.limit + 1;
  const found: Record<string, unknown>[] = [];
  let evaluated = 0;
  let exclusiveStart: Record<string, unknown> | undefined = start;
  let more = true;
  while (found.length < want && evaluated < MAX_EVALUATED_ITEMS) {
    const res = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: TABLE.gsi2.indexName,
        KeyConditionExpression: 'gsi2pk = :p',
        FilterExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, ...names },
        ExpressionAttributeValues: values,
        ProjectionExpression: projection.ProjectionExpression,
        ScanIndexForward: false,
        Limit: Math.min(Math.max(want - found.length, 100), MAX_EVALUATED_ITEMS - evaluated),
        ExclusiveStartKey: exclusiveStart,
      }),
    );
    evaluated += res.ScannedCount ?? 0;
    found.push(...(res.Items ?? []));
    exclusiveStart = res.LastEvaluatedKey;
    if (!exclusiveStart) {
      more = false;
      break;
    }
  }
  const keyOf = (item: Record<string, unknown> | undefined) =>
    item && Object.fromEntries(GSI2_KEY.map((k) => [k, item[k]]));
  if (found.length >= want) {
    const items = found.slice(0, page.limit);
    return {
      kind: 'page',
      items: items.map((i) => stripKeys<ExportSummaryItem>(i)),
      nextCursor: encodeCursor(keyOf(items.at(-1))),
    };
  }
  return {
    kind: 'page',
    items: found.map((i) => stripKeys<ExportSummaryItem>(i)),
    nextCursor: more ? encodeCursor(exclusiveStart) : null,
  };
}
