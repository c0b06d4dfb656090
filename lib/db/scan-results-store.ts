import type { Severity } from '../schemas/scan-vocabulary.ts';
import { type BatchPutOptions, batchPutItems } from './batch-write.ts';
import type { Db } from './client.ts';
import { getItems, stripKeys, type TransactItem } from './dynamo.ts';
import type { ListOutcome } from './key-cursor.ts';
import { keys } from './keys.ts';
import { issueShard, pageShard, shardCount } from './scan-result-shards.ts';
import type { ScanRunItem } from './scan-runs-store.ts';
import { type KeepFilter, listShardedPage } from './sharded-query.ts';

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
 * What a page's filters read, stored on the page's item and never shown (docs/scanner-results.md,
 * "Reading results"): the distinct severities, categories, `severity#category` pairs and
 * fingerprints of the issues the page carried, a fingerprint stored with an earlier page included.
 */
export interface PageIssueIndex {
  issue_severities: string[];
  issue_categories: string[];
  issue_kinds: string[];
  issue_fingerprints: string[];
}
export type StoredPageRecord = PageRecord & PageIssueIndex;
const PAGE_INDEX_FIELDS = [
  'issue_severities',
  'issue_categories',
  'issue_kinds',
  'issue_fingerprints',
] as const;
/** A page's `issue_kinds` entry: an issue of this severity and category. */
export const issueKind = (severity: string, category: string) => `${severity}#${category}`;

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
  pages: StoredPageRecord[],
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
  pages: StoredPageRecord[],
  issues: IssueRecord[],
): Record<string, unknown>[] {
  return shardedResultItems(scanRunId, ingestId, pages, issues).items;
}

/** Writes a postback's items; answers the shard count to commit with the ingest id. */
export async function writeScanResultItems(
  db: Db,
  scanRunId: number,
  ingestId: string,
  records: { pages: StoredPageRecord[]; issues: IssueRecord[] },
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
        'SET #status = :completed, ingest_id = :ingest, result_shards = :shards, counters = :counters, report_status = :pending, report_error = :null, findings_status = :pending, pages_indexed = :true, updated_at = :now, completed_at = :now',
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
        // Its pages carry their issues' index (PageIssueIndex): the pages list can filter them.
        ':true': true,
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

/** A page filter: an issue of the severity, of the category, or both at once (one issue of both). */
const pageContains = ({ severity, category }: { severity?: string; category?: string }) =>
  severity !== undefined && category !== undefined
    ? { issue_kinds: issueKind(severity, category) }
    : { issue_severities: severity, issue_categories: category };

/**
 * What a list read asks: a page; a severity and a category (an issue's own, or one of a page's
 * issues'), which DynamoDB filters; and at most one filter of the caller's.
 */
export interface ListRead {
  limit: number;
  cursor?: string;
  severity?: string;
  category?: string;
  keep?: KeepFilter;
  consistent?: boolean;
}

/**
 * One page of a run's committed pages or issues (lib/db/sharded-query.ts, listShardedPage): the
 * run's shards under its committed ingest id, issues filtered by their severity and category, pages
 * by their issues' index.
 */
async function queryPrefix<T>(
  db: Db,
  run: ScanRunItem,
  prefix: 'PAGE' | 'ISSUE',
  opts: ListRead,
  fromStore: (item: T) => T = (item) => item,
): Promise<ListOutcome<T>> {
  if (!run.ingest_id) return { kind: 'page', items: [], nextCursor: null };
  const filter = { severity: opts.severity, category: opts.category };
  const outcome = await listShardedPage(
    db,
    {
      partitions: shardPartitions(run.id, run.result_shards ?? 1),
      cursorPk: keys.scanRunPartition(run.id),
      skPrefix: `${prefix}#${run.ingest_id}#`,
      tail: SK_TAIL[prefix],
    },
    {
      ...(prefix === 'ISSUE' ? { equals: filter } : { contains: pageContains(filter) }),
      keep: opts.keep,
      consistent: opts.consistent,
    },
    opts,
  );
  return outcome.kind === 'page'
    ? { ...outcome, items: outcome.items.map((i) => fromStore(stripKeys<T>(i))) }
    : outcome;
}

const shardPartitions = (scanRunId: number, shards: number) =>
  Array.from({ length: shards }, (_, k) => keys.scanRunPartition(scanRunId, k));

export const listRunPages = (db: Db, run: ScanRunItem, opts: ListRead) =>
  queryPrefix<PageRecord>(db, run, 'PAGE', opts, (stored) => {
    const p: Record<string, unknown> = { ...stored };
    for (const field of PAGE_INDEX_FIELDS) delete p[field];
    return {
      ...(p as unknown as PageRecord),
      response_headers: headersFromStore(stored.response_headers as StoredHeaders),
    };
  });

/**
 * A page of a run's issues. With a fingerprint: that issue alone (read by its key, the other filters
 * applied to it), as a finding's `latest_issue` link asks (docs/scanner-results.md).
 */
export async function listRunIssues(
  db: Db,
  run: ScanRunItem,
  opts: ListRead & { fingerprint?: string },
): Promise<ListOutcome<IssueRecord>> {
  if (opts.fingerprint === undefined) return queryPrefix<IssueRecord>(db, run, 'ISSUE', opts);
  if (opts.cursor !== undefined) return { kind: 'invalid_cursor' };
  const issue = (await readRunIssuesByFingerprint(db, run, [opts.fingerprint])).get(opts.fingerprint);
  const kept =
    issue &&
    (opts.severity === undefined || issue.severity === opts.severity) &&
    (opts.category === undefined || issue.category === opts.category) &&
    (!opts.keep || (await opts.keep.keep([issue]))[0]);
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
