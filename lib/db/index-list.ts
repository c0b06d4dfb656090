import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type IdKind, idPattern } from '../ids.ts';
import type { Db } from './client.ts';
import { getItems, MAX_BATCH_GET_KEYS, stripKeys, type TableKey } from './dynamo.ts';
import { type CursorKey, decodeCursor, encodeCursor, GSI1_KEY, type ListOutcome } from './key-cursor.ts';
import { TABLE } from './table-definition.ts';

/**
 * The customer lists read from the account index (gsi1, keys only): projects, a project's scan runs,
 * ticket exports. One page, newest first, is read as index keys, then the items by those keys with
 * BatchGetItem (lib/db/targets-store.ts does the same for targets). A filter is applied to the items
 * read, so a filtered page may take several index reads; `limit + 1` matches are looked for, so
 * `next_cursor` is null exactly when no item is left. At most `MAX_EVALUATED_ITEMS` items are read for
 * one page: when the filter matched fewer by then, the page is shorter than `limit` (it may be empty)
 * and its cursor goes on from the last item read (docs/platform.md, "Lists").
 */

/** Items read (and filtered) for one page at most: 10 BatchGetItem requests of 100 keys. */
export const MAX_EVALUATED_ITEMS = 1_000;

/** An ISO 8601 time as a sort key begins with (`toISOString`): bounded, no `#`. */
export const SORT_KEY_TIME = '[0-9][0-9A-Z:.+-]{0,39}';

/** An id format as a part of a regular expression (lib/ids.ts), for sort keys that end with an id. */
export const idSource = (kind: IdKind) => idPattern(kind).source.replace(/^\^|\$$/g, '');

/**
 * One contiguous range of sort keys of the index partition. A list reads its ranges one after
 * another, each in descending sort-key order (a scan run list reads its project's runs, then the runs
 * written before the project was in the sort key; lib/db/scan-runs-store.ts).
 */
export interface IndexRange {
  /** The sort-key part of the key condition (`begins_with(gsi1sk, :prefix)`), with its values; absent: the whole partition. */
  condition?: string;
  values: Record<string, string>;
  /** Whether a cursor's sort key lies in this range. */
  holds: (sortKey: string) => boolean;
}

export interface IndexListRead<T> {
  /** The gsi1 partition (`keys.accountIndex(…)`). */
  partition: string;
  ranges: readonly IndexRange[];
  /**
   * Whether a cursor's key is one of this list's (its table key matches its sort key): anything else is
   * refused before it reaches DynamoDB, which could answer a malformed key with a 500-worthy error.
   */
  isListKey: (key: CursorKey) => boolean;
  /** Keeps the items it accepts (absent: every item). */
  filter?: (item: T) => boolean;
  /** The attributes to read of each item (absent: all). */
  attributes?: readonly string[];
  limit: number;
  cursor?: string;
  /** Items read for one page at most (default MAX_EVALUATED_ITEMS). */
  maxEvaluated?: number;
}

const KEY_OF = (entry: Record<string, unknown>): CursorKey =>
  Object.fromEntries(GSI1_KEY.map((k) => [k, String(entry[k])])) as CursorKey;

/** The index entries' items: read by key, or as they are where the index answered whole items. */
async function itemsOf<T>(
  db: Db,
  entries: Record<string, unknown>[],
  attributes: readonly string[] | undefined,
): Promise<(T | undefined)[]> {
  const keysOnly = entries.filter((e) => e.id === undefined);
  const read = keysOnly.length
    ? await getItems<T>(
        db,
        keysOnly.map((e) => ({ pk: String(e.pk), sk: String(e.sk) })),
        { attributes },
      )
    : [];
  let next = 0;
  return entries.map((e) => (e.id === undefined ? read[next++] : stripKeys<T>(e)));
}

export async function listIndexNewestFirst<T>(db: Db, read: IndexListRead<T>): Promise<ListOutcome<T>> {
  const start = decodeCursor(read.cursor, {
    attrs: GSI1_KEY,
    partition: { attr: 'gsi1pk', value: read.partition },
  });
  if (start === 'invalid') return { kind: 'invalid_cursor' };
  let range = 0;
  if (start) {
    range = read.ranges.findIndex((r) => r.holds(start.gsi1sk as string));
    if (range < 0 || !read.isListKey(start)) return { kind: 'invalid_cursor' };
  }
  const want = read.limit + 1;
  const budget = read.maxEvaluated ?? MAX_EVALUATED_ITEMS;
  const found: { key: CursorKey; item: T }[] = [];
  let evaluated = 0;
  let lastRead: CursorKey | undefined = start;
  let exclusiveStart: Record<string, unknown> | undefined = start;
  // Each read asks for the items still missing, or more once a filter thinned the answers out: twice
  // as many per read, up to a BatchGetItem's 100 keys, so a rare match takes a few reads, not many.
  let stride = 0;
  while (range < read.ranges.length && found.length < want && evaluated < budget) {
    const r = read.ranges[range] as IndexRange;
    const missing = want - found.length;
    const ask = Math.max(missing, stride);
    stride = Math.min(ask * 2, MAX_BATCH_GET_KEYS);
    const res = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: TABLE.gsi1.indexName,
        KeyConditionExpression: r.condition ? `gsi1pk = :p AND ${r.condition}` : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': read.partition, ...r.values },
        ScanIndexForward: false,
        Limit: Math.min(ask, budget - evaluated),
        ExclusiveStartKey: exclusiveStart,
      }),
    );
    const entries = res.Items ?? [];
    const items = await itemsOf<T>(db, entries, read.attributes);
    for (let i = 0; i < entries.length && found.length < want; i++) {
      evaluated++;
      lastRead = KEY_OF(entries[i] as Record<string, unknown>);
      const item = items[i];
      // An item the index lists but the table read did not find yet (eventual consistency) is left out.
      if (item !== undefined && (!read.filter || read.filter(item))) found.push({ key: lastRead, item });
    }
    if (found.length >= want) break;
    if (res.LastEvaluatedKey) exclusiveStart = res.LastEvaluatedKey;
    else {
      range++;
      exclusiveStart = undefined;
    }
  }
  if (found.length >= want) {
    const page = found.slice(0, read.limit);
    return {
      kind: 'page',
      items: page.map((f) => f.item),
      nextCursor: encodeCursor(page.at(-1)?.key),
    };
  }
  const done = range >= read.ranges.length;
  return {
    kind: 'page',
    items: found.map((f) => f.item),
    nextCursor: done ? null : encodeCursor(lastRead),
  };
}

/**
 * A cursor check for a list whose index sort key is `<created_at>#<id>` on the item's own key: the id
 * in the sort key must name exactly the item the cursor's table key points at.
 */
export function createdAtListKey(kind: IdKind, itemKey: (id: string) => TableKey) {
  const sortKey = new RegExp(`^${SORT_KEY_TIME}#(${idSource(kind)})$`);
  return (key: CursorKey): boolean => {
    const id = sortKey.exec(key.gsi1sk ?? '')?.[1];
    if (id === undefined) return false;
    const own = itemKey(id);
    return key.pk === own.pk && key.sk === own.sk;
  };
}

/** The whole partition, as one range. */
export const WHOLE_PARTITION: IndexRange = { values: {}, holds: () => true };

/** The sort keys that begin with `prefix` (not empty). */
export function prefixRange(prefix: string): IndexRange {
  return {
    condition: 'begins_with(gsi1sk, :prefix)',
    values: { ':prefix': prefix },
    holds: (sk) => sk.startsWith(prefix),
  };
}
