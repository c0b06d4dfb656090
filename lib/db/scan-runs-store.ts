import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FindingsDelta } from '../domain/findings-lifecycle.ts';
import type { ReportStatus } from '../schemas/scan-report.ts';
import type { ScanRunStatus } from '../schemas/scan-runs.ts';
import type { Db } from './client.ts';
import { conditionFailure, stripKeys, type TransactItem, withRetries } from './dynamo.ts';
import { type IndexRange, idSource, listIndexNewestFirst, prefixRange, SORT_KEY_TIME } from './index-list.ts';
import type { CursorKey, ListOutcome } from './key-cursor.ts';
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
  /**
   * The scan report (docs/scanner-results.md, "The scan report"): `not_started` while queued, `pending`
   * from the completed commit until the dispatcher stored it, then `ready` or `failed` (with
   * `report_error`); `unavailable` for a failed run, which has none.
   */
  report_status: ReportStatus;
  /** Why the report could not be built; null (or absent, on older runs) unless `report_status` is failed. */
  report_error?: { code: string; message: string } | null;
  /** Byte sizes of the stored documents, set with `ready` (the route serves large ones by redirect). */
  report_bytes?: { json: number; sarif: number };
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
  /**
   * `pending` from the completion, then applied or superseded (lib/db/findings-store.ts). Absent on a
   * run that completed before findings were tracked: it is never applied.
   */
  findings_status?: 'pending' | 'applied' | 'superseded';
  /** Its pages carry their issues' index (scan-results-store PageIssueIndex): runs completed since. */
  pages_indexed?: boolean;
  findings_delta?: FindingsDelta;
}

/** Next integer scan run id from an atomic counter (ids may skip after a failed creation; never repeat). */
export async function nextScanRunId(db: Db): Promise<number> {
  // A retry after a lost answer takes the next id: ids skip, never repeat.
  const res = await withRetries(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.counter('scan_run'),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
  );
  return Number(res.Attributes?.value);
}

/**
 * A run's place in its account's index: the partition of the account's runs, sorted by project, then
 * by creation time (`<project id>#<created_at>#<id, 16 digits>`), so one project's runs are one range
 * of it (docs/scanner-results.md, "Listing scan runs"). Runs created before the project id led the
 * sort key have `<created_at>#<id>`; the project list reads those too (listProjectScanRuns).
 */
export function scanRunIndexKeys(run: Pick<ScanRunItem, 'id' | 'account_id' | 'project_id' | 'created_at'>) {
  return {
    gsi1pk: keys.accountIndex(run.account_id, 'SCANRUNS'),
    gsi1sk: `${run.project_id}#${run.created_at}#${String(run.id).padStart(16, '0')}`,
  };
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
          ...scanRunIndexKeys(run),
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
  const res = await withRetries(() =>
    db.doc.send(
      new GetCommand({ TableName: db.table, Key: keys.scanRun(scanRunId), ConsistentRead: consistent }),
    ),
  );
  return stripKeys<ScanRunItem>(res.Item);
}

const RUN_ID = '(\\d{16})';
const PROJECT_RUN_SORT_KEY = new RegExp(`^${idSource('project')}#${SORT_KEY_TIME}#${RUN_ID}$`);
const LEGACY_RUN_SORT_KEY = new RegExp(`^${SORT_KEY_TIME}#${RUN_ID}$`);
/** Sort keys of runs written before the project id led them begin with the time, a digit (below ':'). */
const LEGACY_RUNS_END = ':';

const isRunListKey = (key: CursorKey) => {
  const sk = key.gsi1sk ?? '';
  const id = (PROJECT_RUN_SORT_KEY.exec(sk) ?? LEGACY_RUN_SORT_KEY.exec(sk))?.[1];
  if (id === undefined || Number(id) < 1 || !Number.isSafeInteger(Number(id))) return false;
  const own = keys.scanRun(Number(id));
  return key.pk === own.pk && key.sk === own.sk;
};

/**
 * A project's runs, newest first, optionally of one status, one page at a time: the project's range
 * of the account's run index, then the runs created before the sort key began with the project id
 * (all of the account's older runs, in one range below every project id; the project's are kept).
 * Every run of the project is in one of the two ranges, and every run of the first is newer than
 * every run of the second, so the order holds across them.
 */
export function listProjectScanRuns(
  db: Db,
  input: { accountId: string; projectId: string; status?: ScanRunStatus; limit: number; cursor?: string },
): Promise<ListOutcome<ScanRunItem>> {
  const legacy: IndexRange = {
    condition: 'gsi1sk < :legacyEnd',
    values: { ':legacyEnd': LEGACY_RUNS_END },
    holds: (sk) => sk < LEGACY_RUNS_END,
  };
  return listIndexNewestFirst<ScanRunItem>(db, {
    partition: keys.accountIndex(input.accountId, 'SCANRUNS'),
    ranges: [prefixRange(`${input.projectId}#`), legacy],
    isListKey: isRunListKey,
    filter: (run) =>
      run.project_id === input.projectId &&
      run.account_id === input.accountId &&
      (input.status === undefined || run.status === input.status),
    limit: input.limit,
    cursor: input.cursor,
  });
}

/**
 * A completed run's report is stored: pending → ready with the documents' sizes. Conditional on the run
 * still being completed with its report pending, so a replayed stream record (or a second dispatcher
 * invocation) changes nothing: false when the condition failed.
 */
export function markReportReady(db: Db, scanRunId: number, bytes: { json: number; sarif: number }) {
  return settleReport(db, scanRunId, 'ready', { ':bytes': bytes, ':error': null }, 'report_bytes = :bytes');
}

/** A completed run's report cannot be built, for a reason that retrying will not change: pending → failed. */
export function markReportFailed(db: Db, scanRunId: number, error: { code: string; message: string }) {
  return settleReport(db, scanRunId, 'failed', { ':error': error });
}

async function settleReport(
  db: Db,
  scanRunId: number,
  to: 'ready' | 'failed',
  values: Record<string, unknown>,
  extra?: string,
): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.scanRun(scanRunId),
        UpdateExpression: `SET report_status = :to, report_error = :error${extra ? `, ${extra}` : ''}`,
        ConditionExpression: '#status = :completed AND report_status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': to, ':completed': 'completed', ':pending': 'pending', ...values },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailure(err)) return false;
    throw err;
  }
}
