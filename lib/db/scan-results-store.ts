import type { Severity } from '../schemas/scan-vocabulary.ts';
import { type BatchPutOptions, batchPutItems } from './batch-write.ts';
import type { Db } from './client.ts';
import { getItems, stripKeys, type TransactItem } from './dynamo.ts';
import { decodeCursor, encodeCursor, type ListOutcome, TABLE_KEY } from './key-cursor.ts';
import { keys } from './keys.ts';
import { issueShard, pageShard, shardCount } from './scan-result-shards.ts';
import type { ScanRunItem } from './scan-runs-store.ts';
import { queryPrefixMerged } from './sharded-query.ts';

/**
 * Pages and issues of a scan run live in the run's partitions under keys derived from the run id, the
 * ingest id (a hash of the sanitized payload) and the page index / issue fingerprint:
 *   PAGE#<ingest>#<index>      ISSUE#<ingest>#<fingerprint>
 * A large postback is spread over S partitions, SCANRUN#<id> and SCANRUN#<id>#<k> (k < S), with S and
 * each item's shard a function of the items (lib/db/scan-result-shards.ts), committed on the run with
 * the ingest id. A retried postback rewrites exactly the same items. A competing postback with a
 * different payload writes under its own ingest id, and only the ingest id committed on the run is
 * ever read, so a loser's or a crashed attempt's items never show up.
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

/**
 * Response headers are stored as a list of [name, value] pairs, not a map: any name is then stored and
 * returned exactly (`constructor` stops the SDK's marshaller, `__proto__` is no key of a plain object
 * literal). Items written as a map before read as they are.
 */
type StoredHeaders = [string, string][] | Record<string, string>;
const headersToStore = (h: Record<string, string>): [string, string][] => Object.entries(h);
const headersFromStore = (h: StoredHeaders): Record<string, string> =>
  Array.isArray(h) ? Object.fromEntries(h) : h;

const pageSk = (ingestId: string, index: number) => `PAGE#${ingestId}#${String(index).padStart(6, '0')}`;
const issueSk = (ingestId: string, fingerprint: string) => `ISSUE#${ingestId}#${fingerprint}`;

/**
 * The items a postback's pages and issues are stored as (each must fit DynamoDB's 400 KB), and the
 * number of shards they are spread over: page i in shard i mod S, an issue in the shard of its
 * fingerprint.
 */
export function shardedResultItems(
  scanRunId: number,
  ingestId: string,
  pages: PageRecord[],
  issues: IssueRecord[],
): { shards: number; items: Record<string, unknown>[] } {
  const pageItems = pages.map((p) => ({
    sk: pageSk(ingestId, p.index),
    ...p,
    response_headers: headersToStore(p.response_headers),
  }));
  const issueItems = issues.map((i) => ({ sk: issueSk(ingestId, i.fingerprint), ...i }));
  const shards = shardCount([...pageItems, ...issueItems]);
  const pk = (shard: number) => keys.scanRunPartition(scanRunId, shard);
  return {
    shards,
    items: [
      ...pageItems.map((item) => ({ pk: pk(pageShard(item.index, shards)), ...item })),
      ...issueItems.map((item) => ({ pk: pk(issueShard(item.fingerprint, shards)), ...item })),
    ],
  };
}

/** The items alone (their sizes are checked against DynamoDB's limit). */
export function scanResultItems(
  scanRunId: number,
  ingestId: string,
  pages: PageRecord[],
  issues: IssueRecord[],
): Record<string, unknown>[] {
  return shardedResultItems(scanRunId, ingestId, pages, issues).items;
}

/** Writes a postback's items; answers the shard count to commit with the ingest id. */
export async function writeScanResultItems(
  db: Db,
  scanRunId: number,
  ingestId: string,
  records: { pages: PageRecord[]; issues: IssueRecord[] },
  opts: Pick<BatchPutOptions, 'deadlineMs'> = {},
): Promise<number> {
  const { shards, items } = shardedResultItems(scanRunId, ingestId, records.pages, records.issues);
  await batchPutItems(db, items, opts);
  return shards;
}

/**
 * The write that commits a completed postback: queued → completed with the winning ingest id, the
 * shard count its items were written with, and counters. On a failed condition (the run is terminal
 * already) the run comes back as it is.
 */
export function completedRunWrite(
  db: Db,
  scanRunId: number,
  ingest: { ingestId: string; shards: number },
  counters: Record<string, number | string>,
  now: string,
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.scanRun(scanRunId),
      UpdateExpression:
        'SET #status = :completed, ingest_id = :ingest, result_shards = :shards, counters = :counters, report_status = :pending, report_error = :null, findings_status = :pending, updated_at = :now, completed_at = :now',
      ConditionExpression: '#status = :queued',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':queued': 'queued',
        ':ingest': ingest.ingestId,
        ':shards': ingest.shards,
        ':counters': counters,
        // The dispatcher applies the committed run to its project's findings, then builds its report
        // (lib/dispatch/reactions/scan-run-findings.ts, scan-run-report.ts).
        ':pending': 'pending',
        ':null': null,
        ':now': now,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * The writes that commit a failed postback, for one transaction: queued → failed with its error, and
 * the reserved credit back to the account. The condition on status and credit_reserved makes the credit
 * come back exactly once. Entry 0 failing: the run is terminal already (it comes back as it is).
 */
export function failedRunWrites(
  db: Db,
  run: ScanRunItem,
  error: ScanRunItem['error'],
  now: string,
): TransactItem[] {
  return [
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
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
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
  ];
}

/**
 * What the list's keys hold after the prefix (pageSk: the index; issueSk: a fingerprint, 8–128 of
 * `A-Z a-z 0-9 . _ : -`, docs/scanner-results.md): a cursor with anything else is no key of the list,
 * and could be refused by DynamoDB (a sort key of more than 1 KB) instead of answering 422.
 */
const SK_TAIL = { PAGE: /^\d{1,16}$/, ISSUE: /^[A-Za-z0-9._:-]{1,128}$/ } as const;

/**
 * One page of a run's committed pages or issues. Reads until `limit` matching items are found (a
 * severity filter can thin out a DynamoDB page) plus one to know whether more exist, so `next_cursor`
 * is null exactly on the last page. The cursor is the run's partition and the last returned item's
 * sort key (for a sharded run too: sort keys order the whole list); a cursor that is not a key of this
 * run's list is a 422.
 */
async function queryPrefix<T>(
  db: Db,
  run: ScanRunItem,
  prefix: 'PAGE' | 'ISSUE',
  opts: { limit: number; cursor?: string; severity?: string; category?: string; consistent?: boolean },
  fromStore: (item: T) => T = (item) => item,
): Promise<ListOutcome<T>> {
  if (!run.ingest_id) return { kind: 'page', items: [], nextCursor: null };
  const pk = keys.scanRunPartition(run.id);
  const skPrefix = `${prefix}#${run.ingest_id}#`;
  const cursor = decodeCursor(opts.cursor, {
    attrs: TABLE_KEY,
    partition: { attr: 'pk', value: pk },
    skPrefix,
  });
  if (cursor === 'invalid' || (cursor && !SK_TAIL[prefix].test(String(cursor.sk).slice(skPrefix.length))))
    return { kind: 'invalid_cursor' };
  const read = {
    skPrefix,
    equals: { severity: opts.severity, category: opts.category },
    want: opts.limit + 1,
    consistent: opts.consistent,
  };
  const found = await queryPrefixMerged(db, shardPartitions(run.id, run.result_shards ?? 1), read, cursor);
  const page = found.slice(0, opts.limit);
  const last = page.at(-1);
  const more = found.length > opts.limit;
  return {
    kind: 'page',
    items: page.map((i) => fromStore(stripKeys<T>(i))),
    nextCursor: more && last ? encodeCursor({ pk, sk: last.sk }) : null,
  };
}

const shardPartitions = (scanRunId: number, shards: number) =>
  Array.from({ length: shards }, (_, k) => keys.scanRunPartition(scanRunId, k));

export const listRunPages = (
  db: Db,
  run: ScanRunItem,
  opts: { limit: number; cursor?: string; consistent?: boolean },
) =>
  queryPrefix<PageRecord>(db, run, 'PAGE', opts, (p) => ({
    ...p,
    response_headers: headersFromStore(p.response_headers as StoredHeaders),
  }));

/**
 * A page of a run's issues. With a fingerprint: that issue alone (read by its key, the other filters
 * applied to it), as a finding's `latest_issue` link asks (docs/scanner-results.md).
 */
export async function listRunIssues(
  db: Db,
  run: ScanRunItem,
  opts: {
    limit: number;
    cursor?: string;
    severity?: string;
    category?: string;
    fingerprint?: string;
    consistent?: boolean;
  },
): Promise<ListOutcome<IssueRecord>> {
  if (opts.fingerprint === undefined) return queryPrefix<IssueRecord>(db, run, 'ISSUE', opts);
  if (opts.cursor !== undefined) return { kind: 'invalid_cursor' };
  const issue = (await readRunIssuesByFingerprint(db, run, [opts.fingerprint])).get(opts.fingerprint);
  const kept =
    issue &&
    (opts.severity === undefined || issue.severity === opts.severity) &&
    (opts.category === undefined || issue.category === opts.category);
  return { kind: 'page', items: kept ? [stripKeys<IssueRecord>(issue)] : [], nextCursor: null };
}

/** Pages of 1,000 when a reader wants all of a run's pages or issues. */
const READ_ALL_PAGE = 1_000;

/** Every page of a list, read page by page through its own cursors. */
async function readAll<T>(
  list: (cursor: string | undefined) => Promise<ListOutcome<T>>,
  what: string,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    if (page.kind !== 'page') throw new Error(`${what}: its own cursor was refused`);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/**
 * All committed pages (in payload order) and issues (in fingerprint order) of a run, every shard,
 * with strongly consistent reads: what the dispatcher's scan report is built from.
 */
export async function readRunResults(
  db: Db,
  run: ScanRunItem,
): Promise<{ pages: PageRecord[]; issues: IssueRecord[] }> {
  const opts = (cursor: string | undefined) => ({ limit: READ_ALL_PAGE, cursor, consistent: true });
  const [pages, issues] = await Promise.all([
    readAll((c) => listRunPages(db, run, opts(c)), `scan run ${run.id} pages`),
    readAll((c) => listRunIssues(db, run, opts(c)), `scan run ${run.id} issues`),
  ]);
  return { pages, issues };
}

/** The committed issues of a run with these fingerprints (absent ones are left out). */
export async function readRunIssuesByFingerprint(
  db: Db,
  run: ScanRunItem,
  fingerprints: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const ingestId = run.ingest_id;
  if (!ingestId) return new Map();
  const shards = run.result_shards ?? 1;
  const items = await getItems(
    db,
    fingerprints.map((fp) => ({
      pk: keys.scanRunPartition(run.id, issueShard(fp, shards)),
      sk: issueSk(ingestId, fp),
    })),
    { consistent: true },
  );
  return new Map(fingerprints.flatMap((fp, i) => (items[i] ? [[fp, items[i]] as const] : [])));
}
