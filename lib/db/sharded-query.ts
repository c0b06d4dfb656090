import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { type CursorKey, decodeCursor, encodeCursor, type ListOutcome, TABLE_KEY } from './key-cursor.ts';

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

/**
 * A filter the store cannot hand to DynamoDB (it reads other items: a project's findings): which of
 * a batch of stored items, in order, to keep, and what looking at one costs (the reads it takes; 1 if
 * not said).
 */
export interface KeepFilter {
  keep: (items: readonly StoredItem[]) => Promise<boolean[]>;
  cost?: (item: StoredItem) => number;
}

/** A list over shards: its partitions, the one its cursors name, its prefix and what may follow it. */
export interface ShardedList {
  partitions: readonly string[];
  /** The partition a cursor names (the list's first: sort keys order the whole list). */
  cursorPk: string;
  skPrefix: string;
  /** What a cursor's sort key may hold after the prefix (anything else is no key of the list). */
  tail: RegExp;
}

/** Items read at a time for a `keep` filter, and what it may cost in one request (at least one item). */
const KEEP_BATCH = 100;
const KEEP_BUDGET = 1_000;

/**
 * One page of a sharded list: `limit` matching items, plus one read to know whether more exist, so
 * `next_cursor` is null exactly on the last page; the cursor is the list's partition and the last
 * returned item's sort key. A cursor that is not a key of this list is `invalid_cursor` (a 422),
 * DynamoDB never asked. With a `keep` filter, items are read KEEP_BATCH at a time and a request
 * spends KEEP_BUDGET on it at most: it may then answer fewer than `limit` items, with a cursor after
 * the last one it looked at.
 */
export async function listShardedPage(
  db: Db,
  list: ShardedList,
  filters: Pick<PrefixRead, 'equals' | 'contains' | 'consistent'> & { keep?: KeepFilter },
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<StoredItem>> {
  const cursor = decodeCursor(page.cursor, {
    attrs: TABLE_KEY,
    partition: { attr: 'pk', value: list.cursorPk },
    skPrefix: list.skPrefix,
  });
  if (cursor === 'invalid' || (cursor && !list.tail.test(String(cursor.sk).slice(list.skPrefix.length))))
    return { kind: 'invalid_cursor' };
  const { keep, ...where } = filters;
  const read = (want: number, from: CursorKey | undefined) =>
    queryPrefixMerged(db, list.partitions, { skPrefix: list.skPrefix, ...where, want }, from);
  const { found, after } = keep
    ? await readKept(read, keep, page.limit, cursor, list.cursorPk)
    : { found: await read(page.limit + 1, cursor), after: undefined };
  const items = found.slice(0, page.limit);
  const next = found.length > page.limit ? items.at(-1)?.sk : after;
  return {
    kind: 'page',
    items,
    nextCursor: next === undefined ? null : encodeCursor({ pk: list.cursorPk, sk: next }),
  };
}

/**
 * Up to `limit + 1` items the filter keeps, from the cursor on; `after`: the sort key to go on after
 * when the budget ran out first (undefined: the list was read to its end, or enough were found).
 */
async function readKept(
  read: (want: number, from: CursorKey | undefined) => Promise<StoredItem[]>,
  filter: KeepFilter,
  limit: number,
  cursor: CursorKey | undefined,
  pk: string,
): Promise<{ found: StoredItem[]; after?: unknown }> {
  const cost = filter.cost ?? (() => 1);
  const found: StoredItem[] = [];
  let from = cursor;
  for (let spent = 0; ; ) {
    const batch = await read(KEEP_BATCH, from);
    let n = 0;
    while (n < batch.length && (n === 0 || spent + cost(batch[n] as StoredItem) <= KEEP_BUDGET))
      spent += cost(batch[n++] as StoredItem);
    const looked = batch.slice(0, n);
    const kept = await filter.keep(looked);
    for (const [i, item] of looked.entries()) {
      if (!kept[i]) continue;
      found.push(item);
      if (found.length > limit) return { found };
    }
    const last = looked.at(-1);
    if (!last || (n === batch.length && batch.length < KEEP_BATCH)) return { found };
    if (n < batch.length || spent >= KEEP_BUDGET) return { found, after: last.sk };
    from = { pk, sk: String(last.sk) };
  }
}
