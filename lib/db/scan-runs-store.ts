import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanRunStatus } from '../schemas/scan-runs.ts';
import type { Db } from './client.ts';
import { stripKeys, type TransactItem } from './dynamo.ts';
import { keys } from './keys.ts';

export interface ScanRunItem {
  id: number;
  account_id: string;
  project_id: string;
  status: ScanRunStatus;
  /** True while the run holds one of the account's scan credits (a failed run gives it back). */
  credit_reserved: boolean;
  counters: Record<string, number | string> | null;
  error: { code: string; message: string; url?: string; timeout_ms?: number } | null;
  report_status: 'not_started' | 'ready' | 'unavailable';
  /** Artifact storage prefix for the run's temporary files, deleted after a failure. */
  temp_prefix: string;
  /** Set when the run completes: the ingest id whose pages and issues are the run's (lib/db/scan-results-store.ts). */
  ingest_id?: string;
  /**
   * Set with ingest_id: how many partitions the run's pages and issues are spread over
   * (lib/db/scan-result-shards.ts). A run completed before sharding has none: one partition.
   */
  result_shards?: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** Next integer scan run id from an atomic counter (ids may skip after a failed creation; never repeat). */
export async function nextScanRunId(db: Db): Promise<number> {
  const res = await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: keys.counter('scan_run'),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(res.Attributes?.value);
}

/**
 * The writes that create a run: take one credit from the account (only if one is left) and put the
 * run. In one transaction, concurrent creations can never drive the credits below zero. Entry 0 failing
 * its condition means no credit was left.
 */
export function createScanRunWrites(db: Db, run: ScanRunItem): TransactItem[] {
  return [
    {
      Update: {
        TableName: db.table,
        Key: keys.account(run.account_id),
        UpdateExpression: 'SET scan_credits = scan_credits - :one',
        ConditionExpression: 'attribute_exists(pk) AND scan_credits >= :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: {
          ...keys.scanRun(run.id),
          ...run,
          gsi1pk: keys.accountIndex(run.account_id, 'SCANRUNS'),
          gsi1sk: `${run.created_at}#${String(run.id).padStart(16, '0')}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

export async function getScanRun(
  db: Db,
  scanRunId: number,
  consistent = false,
): Promise<ScanRunItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.scanRun(scanRunId), ConsistentRead: consistent }),
  );
  return stripKeys<ScanRunItem>(res.Item);
}
