import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * A table in memory answering the index Queries and BatchGetItem requests of the list stores
 * (lib/db/index-list.ts, lib/db/ticket-exports-store.ts) as DynamoDB does: gsi1 answers keys only
 * (unless `wholeItemsInGsi1`, as a table made by an earlier release), gsi2 whole items; keys in sort-key
 * order (descending with ScanIndexForward false); `Limit` counts the entries evaluated before a
 * FilterExpression; LastEvaluatedKey whenever Limit was reached; an ExclusiveStartKey outside the key
 * condition refused. Filters are `a = :v` terms joined by AND (names through `#n`), which is all the
 * stores send.
 */
export function fakeIndexTable(
  ddb: AwsClientStub<DynamoDBDocumentClient>,
  items: Record<string, any>[],
  opts: {
    wholeItemsInGsi1?: boolean;
    table?: string;
    /** Partition keys the index lists but a table read does not find yet (eventual consistency). */
    absentFromTable?: string[];
  } = {},
) {
  const table = opts.table ?? 't';
  const queries: Record<string, any>[] = [];
  const batchGets: Record<string, any>[] = [];
  const project = (item: Record<string, any>, expression?: string, names: Record<string, string> = {}) => {
    if (!expression) return item;
    const attrs = expression.split(',').map((a) => {
      const t = a.trim();
      return names[t] ?? t;
    });
    return Object.fromEntries(attrs.filter((a) => a in item).map((a) => [a, item[a]]));
  };
  ddb.on(QueryCommand).callsFake((input) => {
    queries.push(input);
    const v = input.ExpressionAttributeValues ?? {};
    const names = input.ExpressionAttributeNames ?? {};
    const expressions = [
      input.KeyConditionExpression,
      input.FilterExpression,
      input.ProjectionExpression,
    ].join(' ');
    const unused = Object.keys(names).filter((n) => !new RegExp(`${n}\\b`).test(expressions));
    if (unused.length) throw new Error(`ValidationException: ExpressionAttributeNames unused: ${unused}`);
    const index = input.IndexName as 'gsi1' | 'gsi2';
    const [hk, rk] = index === 'gsi1' ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
    const [hash, ...range] = String(input.KeyConditionExpression).split(' AND ');
    if (hash !== `${hk} = :p`) throw new Error(`unexpected key condition ${input.KeyConditionExpression}`);
    const condition = range.join(' AND ');
    const inRange: (sk: string) => boolean =
      condition === ''
        ? () => true
        : condition === `begins_with(${rk}, :prefix)`
          ? (sk) => sk.startsWith(v[':prefix'])
          : /^gsi1sk < (:\w+)$/.test(condition)
            ? (sk) => sk < v[(condition.split(' < ')[1] as string).trim()]
            : () => {
                throw new Error(`unexpected key condition ${input.KeyConditionExpression}`);
              };
    const order = (a: Record<string, any>, b: Record<string, any>) => {
      for (const k of [rk, 'pk', 'sk']) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
      return 0;
    };
    const start = input.ExclusiveStartKey;
    if (start && (start[hk] !== v[':p'] || !inRange(start[rk])))
      throw new Error('ValidationException: the provided starting key is invalid');
    const forward = input.ScanIndexForward !== false;
    let entries = items.filter((i) => i[hk] === v[':p'] && typeof i[rk] === 'string' && inRange(i[rk]));
    entries.sort(order);
    if (!forward) entries.reverse();
    if (start) entries = entries.filter((i) => (forward ? order(i, start) > 0 : order(i, start) < 0));
    const evaluated = entries.slice(0, input.Limit ?? Number.POSITIVE_INFINITY);
    const last = evaluated.length === input.Limit ? evaluated.at(-1) : undefined;
    const filter = (item: Record<string, any>) =>
      !input.FilterExpression ||
      String(input.FilterExpression)
        .split(' AND ')
        .every((term) => {
          const [name, value] = term.split(' = ').map((x) => x.trim()) as [string, string];
          return item[names[name] ?? name] === v[value];
        });
    const keyOf = (i: Record<string, any>) => ({ pk: i.pk, sk: i.sk, [hk]: i[hk], [rk]: i[rk] });
    const answered = evaluated
      .filter(filter)
      .map((i) =>
        index === 'gsi1' && !opts.wholeItemsInGsi1 ? keyOf(i) : project(i, input.ProjectionExpression, names),
      );
    return {
      Items: answered,
      Count: answered.length,
      ScannedCount: evaluated.length,
      LastEvaluatedKey: last ? keyOf(last) : undefined,
    };
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    batchGets.push(input);
    const request = input.RequestItems[table];
    if (request.Keys.length > 100) throw new Error('ValidationException: more than 100 keys');
    return {
      Responses: {
        [table]: request.Keys.flatMap((k: { pk: string; sk: string }) =>
          items
            .filter((i) => i.pk === k.pk && i.sk === k.sk && !opts.absentFromTable?.includes(i.pk))
            .map((i) => project(i, request.ProjectionExpression, request.ExpressionAttributeNames)),
        ),
      },
    };
  });
  return { queries, batchGets };
}

/** Every page of a list, following next_cursor until it is null. */
export async function allPages<T>(
  read: (cursor?: string) => Promise<{ kind: string; items?: T[]; nextCursor?: string | null }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 10_000; n++) {
    const page = await read(cursor);
    if (page.kind !== 'page') throw new Error(`expected a page, got ${page.kind}`);
    pages.push(page.items ?? []);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}
