import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import type { CursorKey } from './key-cursor.ts';

/**
 * Reading one sort-key prefix of a list spread over several partitions (shards) in sort-key order:
 * a scan run's pages and issues (lib/db/scan-results-store.ts) and a project's findings
 * (lib/db/findings-store.ts). The sort keys are the ones a single partition would hold, so they order
 * the whole list, and a cursor is the last returned sort key.
 */

type StoredItem = Record<string, unknown>;

/** What one list read asks: the sort-key prefix, attributes that must equal a value, how many items. */
export interface PrefixRead {
  skPrefix: string;
  /** Filters: each attribute with a value must equal it (undefined: no filter). */
  equals?: Readonly<Record<string, string | undefined>>;
  /** Filters: each list attribute with a value must hold it (undefined: no filter). */
  contains?: Readonly<Record<string, string | undefined>>;
  /** The page's limit plus one, to know whether more exist. */
  want: number;
  /** Strongly consistent reads (a reader right after a commit: the dispatcher's reactions). */
  consistent?: boolean;
}

/** The filters as a FilterExpression, every name through an expression attribute name (none: every item). */
function itemFilter(read: PrefixRead): {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  values: Record<string, string>;
} {
  const set = (filters: PrefixRead['equals']) =>
    Object.entries(filters ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const terms = [
    ...set(read.equals).map(([name, value]) => ({
      name,
      value,
      term: (n: string, v: string) => `${n} = ${v}`,
    })),
    ...set(read.contains).map(([name, value]) => ({
      name,
      value,
      term: (n: string, v: string) => `contains(${n}, ${v})`,
    })),
  ];
  if (!terms.length) return { values: {} };
  return {
    FilterExpression: terms.map((t, i) => t.term(`#f${i}`, `:f${i}`)).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(terms.map((t, i) => [`#f${i}`, t.name])),
    values: Object.fromEntries(terms.map((t, i) => [`:f${i}`, t.value])),
  };
}

/**
 * One page of a prefix over these partitions: `want` matching items at most, in sort-key order, from
 * the cursor's sort key on (exclusive).
 */
export function queryPrefixMerged(
  db: Db,
  pks: readonly string[],
  read: PrefixRead,
  cursor: CursorKey | undefined,
): Promise<StoredItem[]> {
  return pks.length > 1
    ? queryShards(db, pks, read, cursor)
    : queryPartition(
        db,
        pks[0] as string,
        read,
        cursor ? { pk: pks[0] as string, sk: cursor.sk as string } : undefined,
      );
}

/** One partition: one Query after another until `want` matching items are found. */
async function queryPartition(
  db: Db,
  pk: string,
  read: PrefixRead,
  cursor: CursorKey | undefined,
): Promise<StoredItem[]> {
  const filter = itemFilter(read);
  let start: Record<string, unknown> | undefined = cursor;
  const found: StoredItem[] = [];
  do {
    const res = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: filter.FilterExpression,
        ExpressionAttributeNames: filter.ExpressionAttributeNames,
        ExpressionAttributeValues: { ':pk': pk, ':prefix': read.skPrefix, ...filter.values },
        Limit: read.want - found.length,
        ConsistentRead: read.consistent,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start && found.length < read.want);
  return found;
}

/** One shard of a merged read: what it returned and has not been emitted, and where it stands. */
interface ShardState {
  pk: string;
  buffer: StoredItem[];
  /** Where its next Query starts (exclusive); undefined before the first without a cursor. */
  start?: Record<string, unknown>;
  /** Every item of the shard up to this sort key has been read: its unread ones sort after it. */
  readThrough: string;
  done: boolean;
  /** Items its next Query evaluates: doubled while a filter (severity, category) thins its answers out. */
  limit: number;
}

/** The most items one refill of a shard evaluates. */
const MAX_REFILL = 1_000;

/** The prefix's upper bound: `sk BETWEEN prefix AND bound` holds exactly the keys under the prefix. */
const prefixBound = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/** The next Query of one shard, from where it stands; marks it done when it has nothing more. */
async function refill(db: Db, shard: ShardState, read: PrefixRead): Promise<void> {
  const filter = itemFilter(read);
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: filter.FilterExpression,
      ExpressionAttributeNames: filter.ExpressionAttributeNames,
      ExpressionAttributeValues: {
        ':pk': shard.pk,
        ':from': read.skPrefix,
        ':to': prefixBound(read.skPrefix),
        ...filter.values,
      },
      Limit: shard.limit,
      ConsistentRead: read.consistent,
      ExclusiveStartKey: shard.start,
    }),
  );
  const items = res.Items ?? [];
  if (items.length < shard.limit) shard.limit = Math.min(MAX_REFILL, shard.limit * 2);
  shard.buffer.push(...items);
  shard.start = res.LastEvaluatedKey;
  shard.readThrough = String(res.LastEvaluatedKey?.sk ?? '');
  shard.done = !res.LastEvaluatedKey;
}

/** The shard whose next buffered item sorts first, if any has one. */
function lowest(shards: ShardState[]): ShardState | undefined {
  let best: ShardState | undefined;
  for (const s of shards) {
    const head = s.buffer[0];
    if (head && (!best || String(head.sk) < String(best.buffer[0]?.sk))) best = s;
  }
  return best;
}

/**
 * A sharded run: a k-way merge of its partitions in sort-key order (the sort keys are the ones one
 * partition would hold, so they order the whole list). Every shard is queried in parallel from the
 * cursor's key on, ~want/S items each; the lowest buffered item is emitted only when no shard can
 * still hold a lower one (each has a buffered item, has read past it, or is done); shards that
 * cannot tell are queried again, in parallel (for twice as many items after a filter thinned their
 * answer, so a rare severity takes a few rounds, not one per few items). Stops at `want` items.
 */
async function queryShards(
  db: Db,
  pks: readonly string[],
  read: PrefixRead,
  cursor: CursorKey | undefined,
): Promise<StoredItem[]> {
  const shards: ShardState[] = pks.map((pk) => ({
    pk,
    buffer: [],
    start: cursor ? { pk, sk: cursor.sk } : undefined,
    readThrough: cursor?.sk ?? '',
    done: false,
    limit: Math.ceil(read.want / pks.length) + 1,
  }));
  const found: StoredItem[] = [];
  while (found.length < read.want) {
    const next = lowest(shards);
    const headSk = next ? String(next.buffer[0]?.sk) : undefined;
    const unsure = shards.filter(
      (s) => !s.done && s.buffer.length === 0 && (headSk === undefined || s.readThrough < headSk),
    );
    if (unsure.length > 0) await Promise.all(unsure.map((s) => refill(db, s, read)));
    else if (next) found.push(next.buffer.shift() as StoredItem);
    else break;
  }
  return found;
}
