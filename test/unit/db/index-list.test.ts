import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import {
  type IndexListRead,
  listIndexNewestFirst,
  MAX_EVALUATED_ITEMS,
  prefixRange,
  WHOLE_PARTITION,
} from '../../../lib/db/index-list.ts';
import type { CursorKey } from '../../../lib/db/key-cursor.ts';
import { allPages, fakeIndexTable } from '../../support/fake-index-table.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddb.reset());

interface Thing {
  id: string;
  colour: 'red' | 'blue';
  n: number;
}
const P = 'ACCOUNT#acc_1#THINGS';
const time = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
/** Thing n: created n seconds after the first, red when n is a multiple of `redEvery`. */
const thing = (n: number, redEvery = 10, partition = P) => ({
  pk: `THING#t${n}`,
  sk: 'THING',
  gsi1pk: partition,
  gsi1sk: `${time(n)}#t${n}`,
  id: `t${n}`,
  colour: n % redEvery === 0 ? 'red' : 'blue',
  n,
});
const isListKey = (k: CursorKey) => k.pk === `THING#${k.gsi1sk?.split('#')[1]}` && k.sk === 'THING';
const read = (over: Partial<IndexListRead<Thing>> = {}): IndexListRead<Thing> => ({
  partition: P,
  ranges: [WHOLE_PARTITION],
  isListKey,
  limit: 7,
  ...over,
});
const list = (over: Partial<IndexListRead<Thing>>) => (cursor?: string) =>
  listIndexNewestFirst<Thing>(db, { ...read(over), cursor });

describe('listIndexNewestFirst', () => {
  it('pages newest first, each item once, next_cursor null exactly on the last page', async () => {
    for (const [count, limit] of [
      [0, 7],
      [1, 7],
      [7, 7],
      [8, 7],
      [14, 7],
      [250, 100],
      [250, 1],
    ] as const) {
      ddb.reset();
      fakeIndexTable(ddb, [
        ...Array.from({ length: count }, (_, n) => thing(n)),
        thing(1000, 10, 'ACCOUNT#acc_2#THINGS'),
      ]);
      const pages = await allPages(list({ limit }));
      const ids = pages.flat().map((t) => t.n);
      expect(ids, `${count}/${limit}`).toEqual(Array.from({ length: count }, (_, n) => count - 1 - n));
      expect(pages.length, `${count}/${limit}`).toBe(Math.max(1, Math.ceil(count / limit)));
      for (const p of pages.slice(0, -1)) expect(p).toHaveLength(limit);
    }
  });

  it('filters the items it reads, reading more per request while the filter thins them out', async () => {
    const { queries } = fakeIndexTable(
      ddb,
      Array.from({ length: 250 }, (_, n) => thing(n, 10)),
    );
    const pages = await allPages(list({ limit: 7, filter: (t) => t.colour === 'red' }));
    expect(pages.flat().map((t) => t.n)).toEqual(Array.from({ length: 25 }, (_, k) => 240 - 10 * k));
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    // The first read asks for 8, then 16, 32, …: a rare match takes a few reads, not one per few items.
    expect(queries.slice(0, 3).map((q) => q.Limit)).toEqual([8, 16, 32]);
    expect(Math.max(...queries.map((q) => q.Limit))).toBeLessThanOrEqual(100);
  });

  it('reads at most maxEvaluated items for one page: a shorter page with a cursor from where it stopped', async () => {
    fakeIndexTable(
      ddb,
      Array.from({ length: 250 }, (_, n) => thing(n, 100)),
    );
    const pages = await allPages(list({ limit: 7, maxEvaluated: 60, filter: (t) => t.colour === 'red' }));
    // Reds are 200, 100 and 0; each page stops after 60 items read.
    expect(pages.flat().map((t) => t.n)).toEqual([200, 100, 0]);
    expect(pages.length).toBe(Math.ceil(250 / 60));
    expect(pages.flat()).toHaveLength(3);
    expect(MAX_EVALUATED_ITEMS).toBe(1_000);
  });

  it('reads its ranges one after another, and a cursor in the second range goes on there', async () => {
    const items = [
      ...Array.from({ length: 5 }, (_, n) => ({ ...thing(n), gsi1sk: `b#${time(n)}#t${n}` })),
      ...Array.from({ length: 5 }, (_, n) => ({ ...thing(n + 5), gsi1sk: `a#${time(n + 5)}#t${n + 5}` })),
      ...Array.from({ length: 5 }, (_, n) => ({ ...thing(n + 10), gsi1sk: `c#${time(n + 10)}#t${n + 10}` })),
    ];
    const { queries } = fakeIndexTable(ddb, items);
    const isKey = (k: CursorKey) => k.pk === `THING#${k.gsi1sk?.split('#')[2]}` && k.sk === 'THING';
    const pages = await allPages(
      list({ limit: 3, ranges: [prefixRange('b#'), prefixRange('a#')], isListKey: isKey }),
    );
    expect(pages.flat().map((t) => t.n)).toEqual([4, 3, 2, 1, 0, 9, 8, 7, 6, 5]);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(queries.some((q) => q.ExpressionAttributeValues[':prefix'] === 'c#')).toBe(false);
  });

  it('uses whole items where the index answers them (a table from an earlier release), without a BatchGetItem', async () => {
    fakeIndexTable(
      ddb,
      Array.from({ length: 5 }, (_, n) => thing(n)),
      { wholeItemsInGsi1: true },
    );
    const page = await listIndexNewestFirst<Thing>(db, read({ limit: 10 }));
    expect(page).toMatchObject({ kind: 'page', nextCursor: null });
    if (page.kind !== 'page') throw new Error('expected a page');
    expect(page.items.map((t) => t.n)).toEqual([4, 3, 2, 1, 0]);
    expect(page.items[0]).not.toHaveProperty('gsi1pk');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('reads only the attributes asked for, and leaves out an item the table read did not find yet', async () => {
    const { batchGets } = fakeIndexTable(
      ddb,
      Array.from({ length: 4 }, (_, n) => thing(n)),
      { absentFromTable: ['THING#t2'] },
    );
    const page = await listIndexNewestFirst<Thing>(db, read({ limit: 10, attributes: ['id', 'n'] }));
    if (page.kind !== 'page') throw new Error('expected a page');
    expect(page.items).toEqual([
      { id: 't3', n: 3 },
      { id: 't1', n: 1 },
      { id: 't0', n: 0 },
    ]);
    expect(batchGets[0]?.RequestItems.t.ProjectionExpression).toBe('#p0, #p1, #p2, #p3');
    expect(batchGets[0]?.RequestItems.t.ExpressionAttributeNames).toEqual({
      '#p0': 'pk',
      '#p1': 'sk',
      '#p2': 'id',
      '#p3': 'n',
    });
  });

  it('refuses a cursor that is not one of this list, before any read', async () => {
    fakeIndexTable(
      ddb,
      Array.from({ length: 20 }, (_, n) => thing(n)),
    );
    const first = await listIndexNewestFirst<Thing>(db, read());
    if (first.kind !== 'page' || !first.nextCursor) throw new Error('expected a cursor');
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const own = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString());
    const before = ddb.commandCalls(QueryCommand).length;
    for (const bad of [
      'garbage!',
      cursor([own]),
      cursor({ ...own, gsi1pk: 'ACCOUNT#acc_2#THINGS' }),
      cursor({ ...own, pk: 'THING#t999' }),
      cursor({ ...own, extra: 'x' }),
      cursor({ ...own, gsi1sk: 1 }),
    ]) {
      expect(await listIndexNewestFirst<Thing>(db, read({ cursor: bad })), bad).toEqual({
        kind: 'invalid_cursor',
      });
    }
    // A sort key in none of the list's ranges.
    expect(
      await listIndexNewestFirst<Thing>(db, read({ cursor: first.nextCursor, ranges: [prefixRange('zz#')] })),
    ).toEqual({ kind: 'invalid_cursor' });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(before);
    // Its own cursor goes on.
    expect(await listIndexNewestFirst<Thing>(db, read({ cursor: first.nextCursor }))).toMatchObject({
      kind: 'page',
    });
  });
});
