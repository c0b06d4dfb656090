import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { backoffPause } from './dynamo.ts';

const CHUNK = 25;

/**
 * Puts many items with BatchWriteItem: chunks of 25, a few chunks in flight, UnprocessedItems retried
 * with exponential backoff. Throws if DynamoDB still refuses items after the retries (the caller's
 * request then fails as a whole and can be retried: every item has a deterministic key).
 */
export async function batchPutItems(
  db: Db,
  items: Record<string, unknown>[],
  opts: { concurrency?: number; maxRetries?: number } = {},
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) chunks.push(items.slice(i, i + CHUNK));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as Record<string, unknown>[];
      let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > (opts.maxRetries ?? 8))
          throw new Error(`DynamoDB left ${requests.length} items unprocessed`);
        await backoffPause(attempt + 1, 50);
        const res = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: requests } }));
        requests = (res.UnprocessedItems?.[db.table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, chunks.length) }, worker));
}
