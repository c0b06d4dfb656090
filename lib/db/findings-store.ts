import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FindingLifecycle, FindingsDelta, TriageReason } from '../domain/findings-lifecycle.ts';
import type { TicketRef } from '../domain/ticket-ref.ts';
import type { Db } from './client.ts';
import { commitWrites } from './commit.ts';
import { conditionFailure, getItems, stripKeys, withRetries } from './dynamo.ts';
import type { ListOutcome } from './key-cursor.ts';
import { keys } from './keys.ts';
import { issueShard } from './scan-result-shards.ts';
import { listShardedPage } from './sharded-query.ts';

/**
 * A project's findings (docs/scanner-results.md, "Findings across scan runs"): one item per
 * fingerprint, in FINDING_SHARDS partitions (a 1,000-page run writes thousands of them; one
 * partition takes about 1,000 writes a second), and one head item per project that names the last
 * run applied to them and holds the lease of the run being applied.
 *
 * A run's writes are not one transaction (there can be thousands): each finding it writes records the
 * run (`applied_scan_run_id`) and the finding as it was before (`prev`). Until the head names the run,
 * a finding written by it counts as its `prev`, so a run applied again after a crash, or a later run
 * after an abandoned one, starts from the committed state (lib/domain/findings.ts).
 */
export const FINDING_SHARDS = 8;

export interface Triage {
  reason: TriageReason;
  comment: string | null;
  dismissed_at: string;
  /**
   * Who set it: `token:<token id>` (the API) or `target:<target id>` (a ticket system's signed
   * callback). Absent on dismissals stored before it was recorded.
   */
  by?: string;
  /** The ticket a callback named when it set the triage (absent otherwise). */
  ticket?: TicketRef | null;
}

export interface FindingItem extends FindingLifecycle {
  project_id: string;
  /** `dismissed` or `none`: a filterable copy of whether `triage` is set. */
  triage_status: 'dismissed' | 'none';
  triage: Triage | null;
  applied_scan_run_id: number;
  /** The finding before `applied_scan_run_id` wrote it (null: it did not exist). */
  prev: (FindingLifecycle & { applied_scan_run_id: number }) | null;
  created_at: string;
  updated_at: string;
}

export interface FindingsHead {
  project_id: string;
  applied_scan_run_id?: number;
  lease_scan_run_id?: number;
  lease_until_ms?: number;
}

const findingKey = (projectId: string, fingerprint: string) => ({
  pk: keys.findingsPartition(projectId, issueShard(fingerprint, FINDING_SHARDS)),
  sk: keys.findingSk(fingerprint),
});
const shardPartitions = (projectId: string) =>
  Array.from({ length: FINDING_SHARDS }, (_, k) => keys.findingsPartition(projectId, k));

const LIFECYCLE_FIELDS = [
  'fingerprint',
  'state',
  'type',
  'category',
  'severity',
  'title',
  'page_url',
  'page_key',
  'first_scan_run_id',
  'last_seen_scan_run_id',
  'last_checked_scan_run_id',
  'fixed_scan_run_id',
  'page_error',
] as const satisfies readonly (keyof FindingLifecycle)[];

export const lifecycleOf = (f: FindingLifecycle): FindingLifecycle =>
  Object.fromEntries(LIFECYCLE_FIELDS.map((k) => [k, f[k]])) as unknown as FindingLifecycle;

export async function getFindingsHead(db: Db, projectId: string): Promise<FindingsHead | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.findingsHead(projectId), ConsistentRead: true }),
  );
  return stripKeys<FindingsHead>(res.Item);
}

export type ClaimOutcome =
  | { kind: 'claimed'; appliedScanRunId: number | undefined }
  /** This run or a later one is already applied. */
  | { kind: 'applied'; appliedScanRunId: number }
  /** Another run of the project is being applied. */
  | { kind: 'busy'; leaseScanRunId: number };

/**
 * Takes the project's findings lease for a run: granted when no other run holds it (or its lease
 * ran out) and no run at or after this one is applied. The same run may take it again (a retry).
 */
export async function claimFindingsRun(
  db: Db,
  projectId: string,
  scanRunId: number,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimOutcome> {
  try {
    const res = await withRetries(() =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.findingsHead(projectId),
          UpdateExpression: 'SET project_id = :p, lease_scan_run_id = :r, lease_until_ms = :until',
          ConditionExpression:
            '(attribute_not_exists(applied_scan_run_id) OR applied_scan_run_id < :r) AND ' +
            '(attribute_not_exists(lease_until_ms) OR lease_until_ms < :now OR lease_scan_run_id = :r)',
          ExpressionAttributeValues: {
            ':p': projectId,
            ':r': scanRunId,
            ':until': nowMs + leaseMs,
            ':now': nowMs,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return { kind: 'claimed', appliedScanRunId: res.Attributes?.applied_scan_run_id as number | undefined };
  } catch (err) {
    const failed = conditionFailure(err);
    if (!failed) throw err;
    const head = failed.item as FindingsHead | undefined;
    if (head?.applied_scan_run_id !== undefined && head.applied_scan_run_id >= scanRunId)
      return { kind: 'applied', appliedScanRunId: head.applied_scan_run_id };
    return { kind: 'busy', leaseScanRunId: Number(head?.lease_scan_run_id) };
  }
}

/** Every finding of the project, read consistently (the shards in parallel). */
export async function readProjectFindings(db: Db, projectId: string): Promise<FindingItem[]> {
  const shards = await Promise.all(
    shardPartitions(projectId).map(async (pk) => {
      const items: FindingItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const res = await withRetries(() =>
          db.doc.send(
            new QueryCommand({
              TableName: db.table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.findingSk('') },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of res.Items ?? []) items.push(stripKeys<FindingItem>(item));
        start = res.LastEvaluatedKey;
      } while (start);
      return items;
    }),
  );
  return shards.flat();
}

/**
 * Writes a finding as a run leaves it: its lifecycle, the run, and how it was before. Triage is not
 * written (a dismissal made meanwhile stays); a new finding starts undismissed.
 */
export async function writeFinding(
  db: Db,
  projectId: string,
  scanRunId: number,
  after: FindingLifecycle,
  prev: FindingItem['prev'],
  now: string,
): Promise<void> {
  const values: Record<string, unknown> = {
    ':project': projectId,
    ':run': scanRunId,
    ':prev': prev,
    ':now': now,
    ':none': 'none',
    ':null': null,
  };
  const sets = LIFECYCLE_FIELDS.map((k, i) => {
    values[`:v${i}`] = after[k];
    return `#f${i} = :v${i}`;
  });
  await withRetries(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: findingKey(projectId, after.fingerprint),
        UpdateExpression:
          `SET ${sets.join(', ')}, project_id = :project, applied_scan_run_id = :run, prev = :prev, ` +
          'updated_at = :now, created_at = if_not_exists(created_at, :now), ' +
          'triage_status = if_not_exists(triage_status, :none), triage = if_not_exists(triage, :null)',
        ExpressionAttributeNames: Object.fromEntries(LIFECYCLE_FIELDS.map((k, i) => [`#f${i}`, k])),
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/** Removes a finding an abandoned run created (it was written by `scanRunId` and by nothing since). */
export async function deleteUncommittedFinding(
  db: Db,
  projectId: string,
  fingerprint: string,
  scanRunId: number,
): Promise<void> {
  try {
    await withRetries(() =>
      db.doc.send(
        new DeleteCommand({
          TableName: db.table,
          Key: findingKey(projectId, fingerprint),
          ConditionExpression: 'applied_scan_run_id = :run',
          ExpressionAttributeValues: { ':run': scanRunId },
        }),
      ),
    );
  } catch (err) {
    if (!conditionFailure(err)) throw err;
  }
}

/**
 * Names the run as applied to the project's findings, releases its lease and records its delta on
 * the run, in one transaction. False when the lease is no longer this run's (nothing is written).
 */
export async function commitFindingsRun(
  db: Db,
  projectId: string,
  scanRunId: number,
  delta: FindingsDelta,
  now: string,
): Promise<boolean> {
  const outcome = await commitWrites(db, [
    {
      Update: {
        TableName: db.table,
        Key: keys.findingsHead(projectId),
        UpdateExpression:
          'SET applied_scan_run_id = :r, updated_at = :now REMOVE lease_scan_run_id, lease_until_ms',
        ConditionExpression: 'lease_scan_run_id = :r',
        ExpressionAttributeValues: { ':r': scanRunId, ':now': now },
      },
    },
    {
      Update: {
        TableName: db.table,
        Key: keys.scanRun(scanRunId),
        UpdateExpression: 'SET findings_status = :applied, findings_delta = :delta',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':applied': 'applied', ':delta': delta },
      },
    },
  ]);
  return outcome.kind === 'committed';
}

/** A run completed after a later run of its project was applied: it changes no finding, and says so. */
export async function markRunSuperseded(db: Db, scanRunId: number): Promise<void> {
  try {
    await withRetries(() =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.scanRun(scanRunId),
          UpdateExpression: 'SET findings_status = :superseded',
          ConditionExpression: 'findings_status = :pending',
          ExpressionAttributeValues: { ':superseded': 'superseded', ':pending': 'pending' },
        }),
      ),
    );
  } catch (err) {
    if (!conditionFailure(err)) throw err;
  }
}

export async function getFinding(
  db: Db,
  projectId: string,
  fingerprint: string,
): Promise<FindingItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: findingKey(projectId, fingerprint), ConsistentRead: true }),
  );
  return stripKeys<FindingItem>(res.Item);
}

/**
 * The state and triage of the project's findings with these fingerprints (absent ones are left out),
 * read by key in their shards; eventually consistent, as a list is.
 */
export async function readFindingStates(
  db: Db,
  projectId: string,
  fingerprints: readonly string[],
): Promise<Map<string, Pick<FindingItem, 'state' | 'triage_status'>>> {
  const items = await getItems<FindingItem>(
    db,
    fingerprints.map((fp) => findingKey(projectId, fp)),
    { attributes: ['fingerprint', 'state', 'triage_status'] },
  );
  return new Map(
    items.flatMap((f) => (f ? [[f.fingerprint, { state: f.state, triage_status: f.triage_status }]] : [])),
  );
}

/** Sets or clears a finding's triage; undefined when the project has no such finding. */
export async function setFindingTriage(
  db: Db,
  projectId: string,
  fingerprint: string,
  triage: Triage | null,
  now: string,
): Promise<FindingItem | undefined> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: findingKey(projectId, fingerprint),
        UpdateExpression: 'SET triage = :triage, triage_status = :status, updated_at = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':triage': triage,
          ':status': triage ? 'dismissed' : 'none',
          ':now': now,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<FindingItem>(res.Attributes);
  } catch (err) {
    if (conditionFailure(err)) return undefined;
    throw err;
  }
}

/** What a findings list may filter on: each an exact value. */
export interface FindingFilter {
  state?: string;
  severity?: string;
  category?: string;
  triage_status?: string;
}

/** What follows `FINDING#` in a findings list key: a fingerprint (docs/scanner-results.md). */
const FINGERPRINT_TAIL = /^[A-Za-z0-9._:-]{1,128}$/;

/** One page of a project's findings in fingerprint order (a k-way merge of its shards). */
export async function listFindings(
  db: Db,
  projectId: string,
  filter: FindingFilter,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<FindingItem>> {
  const outcome = await listShardedPage(
    db,
    {
      partitions: shardPartitions(projectId),
      cursorPk: keys.findingsPartition(projectId, 0),
      skPrefix: keys.findingSk(''),
      tail: FINGERPRINT_TAIL,
    },
    { equals: { ...filter } },
    page,
  );
  return outcome.kind === 'page'
    ? { ...outcome, items: outcome.items.map((i) => stripKeys<FindingItem>(i)) }
    : outcome;
}
