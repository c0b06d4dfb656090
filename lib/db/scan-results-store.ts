import { BatchGetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isAwsError, ValidationError } from '../errors.ts';
import type { Severity } from '../schemas/scanner-results.ts';
import { batchPutItems } from './batch-write.ts';
import type { Db } from './client.ts';
import { decodeCursor, encodeCursor } from './key-cursor.ts';
import { keys } from './keys.ts';
import type { ScanRunItem } from './scan-runs-store.ts';

/**
 * Pages and issues of a scan run live in the run's partition under keys derived from the run id, the
 * ingest id (a hash of the sanitized payload) and the page index / issue fingerprint:
 *   PAGE#<ingest>#<index>      ISSUE#<ingest>#<fingerprint>
 * A retried postback rewrites exactly the same items. A competing postback with a different payload
 * writes under its own ingest id, and only the ingest id committed on the run is ever read, so a
 * loser's or a crashed attempt's items never show up.
 */
export interface PageRecord {
  index: number;
  url: string;
  normalized_url: string;
  status_code: number;
  page_type: string;
  response_headers: Record<string, string>;
  console_errors_count: number | null;
  network_errors_count: number | null;
  artifacts: { screenshot_path: string; html_snapshot_path: string | null };
  issues_count: number;
}

export interface IssueRecord {
  fingerprint: string;
  category: string;
  type: string;
  severity: Severity;
  title: string;
  description: string;
  confidence: number;
  evidence: string;
  business_impact: string | null;
  suggested_remediation: string | null;
  reproduction_steps: string | string[] | null;
  screenshot_path: string | null;
  page_url: string;
  page_index: number;
}

const pageSk = (ingestId: string, index: number) => `PAGE#${ingestId}#${String(index).padStart(6, '0')}`;
const issueSk = (ingestId: string, fingerprint: string) => `ISSUE#${ingestId}#${fingerprint}`;

export async function writeScanResultItems(
  db: Db,
  scanRunId: number,
  ingestId: string,
  pages: PageRecord[],
  issues: IssueRecord[],
): Promise<void> {
  const pk = keys.scanRunPartition(scanRunId);
  await batchPutItems(db, [
    ...pages.map((p) => ({ pk, sk: pageSk(ingestId, p.index), ...p })),
    ...issues.map((i) => ({ pk, sk: issueSk(ingestId, i.fingerprint), ...i })),
  ]);
}

/**
 * DynamoDB cancels a write that races a transaction on the same item (TransactionConflict); such a
 * write is retried after a short random pause — its condition then decides.
 */
async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const conflict =
        isAwsError(err, 'TransactionConflictException') ||
        (isAwsError(err, 'TransactionCanceledException') &&
          reasons.some((r) => r.Code === 'TransactionConflict'));
      if (!conflict || attempt >= 6) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * 2 ** attempt));
    }
  }
}

/** One conditional write: queued → completed with the winning ingest id and counters. False if already terminal. */
export async function commitCompletedRun(
  db: Db,
  scanRunId: number,
  ingestId: string,
  counters: Record<string, number | string>,
  now: string,
): Promise<boolean> {
  try {
    await retryingConflicts(() =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.scanRun(scanRunId),
          UpdateExpression:
            'SET #status = :completed, ingest_id = :ingest, counters = :counters, report_status = :ready, updated_at = :now, completed_at = :now',
          ConditionExpression: '#status = :queued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':queued': 'queued',
            ':ingest': ingestId,
            ':counters': counters,
            ':ready': 'ready',
            ':now': now,
          },
        }),
      ),
    );
    return true;
  } catch (err) {
    if (isAwsError(err, 'ConditionalCheckFailedException')) return false;
    throw err;
  }
}

/**
 * One transaction: queued → failed with its error, and the reserved credit back to the account. The
 * condition on status and credit_reserved makes the credit come back exactly once. False if the run
 * was already terminal.
 */
export async function commitFailedRun(
  db: Db,
  run: ScanRunItem,
  error: ScanRunItem['error'],
  now: string,
): Promise<boolean> {
  try {
    await retryingConflicts(() =>
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: db.table,
                Key: keys.scanRun(run.id),
                UpdateExpression:
                  'SET #status = :failed, #error = :error, credit_reserved = :false, report_status = :unavailable, updated_at = :now, completed_at = :now',
                ConditionExpression: '#status = :queued AND credit_reserved = :true',
                ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
                ExpressionAttributeValues: {
                  ':failed': 'failed',
                  ':queued': 'queued',
                  ':error': error,
                  ':false': false,
                  ':true': true,
                  ':unavailable': 'unavailable',
                  ':now': now,
                },
              },
            },
            {
              Update: {
                TableName: db.table,
                Key: keys.account(run.account_id),
                UpdateExpression: 'SET scan_credits = scan_credits + :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      ),
    );
    return true;
  } catch (err) {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (isAwsError(err, 'TransactionCanceledException') && reasons?.[0]?.Code === 'ConditionalCheckFailed')
      return false;
    throw err;
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/**
 * One page of a run's committed pages or issues. Reads until `limit` matching items are found (a
 * severity filter can thin out a DynamoDB page) plus one to know whether more exist, so `next_cursor`
 * is null exactly on the last page. The cursor is the last returned item's key; a cursor that is not
 * a key of this run's list is a 422.
 */
async function queryPrefix<T>(
  db: Db,
  run: ScanRunItem,
  prefix: 'PAGE' | 'ISSUE',
  opts: { limit: number; cursor?: string; severity?: string },
): Promise<Page<T>> {
  if (!run.ingest_id) return { items: [], next_cursor: null };
  const pk = keys.scanRunPartition(run.id);
  const skPrefix = `${prefix}#${run.ingest_id}#`;
  let start = decodeCursor(opts.cursor, { attr: 'pk', partition: pk });
  if (start && (Object.keys(start).length !== 2 || !start.sk?.startsWith(skPrefix))) {
    throw new ValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
  }
  const found: Record<string, unknown>[] = [];
  do {
    const res = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(opts.severity ? { FilterExpression: 'severity = :severity' } : {}),
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': skPrefix,
          ...(opts.severity ? { ':severity': opts.severity } : {}),
        },
        Limit: opts.limit + 1 - found.length,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey as Record<string, string> | undefined;
  } while (start && found.length <= opts.limit);
  const page = found.slice(0, opts.limit);
  const last = page.at(-1);
  const more = found.length > opts.limit;
  return {
    items: page.map((i) => strip<T>(i)),
    next_cursor: more && last ? encodeCursor({ pk: last.pk, sk: last.sk }) : null,
  };
}

export const listRunPages = (db: Db, run: ScanRunItem, opts: { limit: number; cursor?: string }) =>
  queryPrefix<PageRecord>(db, run, 'PAGE', opts);

export const listRunIssues = (
  db: Db,
  run: ScanRunItem,
  opts: { limit: number; cursor?: string; severity?: string },
) => queryPrefix<IssueRecord>(db, run, 'ISSUE', opts);

/** The committed issues of a run with these fingerprints (absent ones are left out). */
export async function readRunIssuesByFingerprint(
  db: Db,
  run: ScanRunItem,
  fingerprints: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  if (!run.ingest_id) return found;
  const pk = keys.scanRunPartition(run.id);
  const unique = [...new Set(fingerprints)];
  for (let i = 0; i < unique.length; i += 100) {
    let requestKeys = unique
      .slice(i, i + 100)
      .map((fp) => ({ pk, sk: issueSk(run.ingest_id as string, fp) }));
    for (let attempt = 0; requestKeys.length > 0 && attempt < 8; attempt++) {
      const res = await db.doc.send(
        new BatchGetCommand({ RequestItems: { [db.table]: { Keys: requestKeys, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[db.table] ?? []) found.set(String(item.fingerprint), strip(item));
      requestKeys = (res.UnprocessedKeys?.[db.table]?.Keys ?? []) as typeof requestKeys;
    }
  }
  return found;
}
