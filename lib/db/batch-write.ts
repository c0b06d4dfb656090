import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { defaultSleep, isRetryable, jitteredDelayMs } from './dynamo.ts';

const CHUNK = 25;

export interface BatchPutOptions {
  /** Chunks of 25 in flight at once (default 8). */
  concurrency?: number;
  /** How long, from the start, refused items are tried again (default 10 s): fit it to the caller's time. */
  deadlineMs?: number;
  /** Test seam: the pause between tries. */
  sleep?: (ms: number) => Promise<void>;
}

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };

/**
 * Puts many items with BatchWriteItem: chunks of 25, 8 chunks in flight (docs/scanner-results.md,
 * "Storage with exactly-once effect"). A chunk's UnprocessedItems, and a chunk refused with something
 * retryable (throttling), are sent again after a full-jitter pause for as long as the deadline allows;
 * no chunk is started after it. Then it throws, saying how many items were left (the caller's request
 * fails as a whole and can be retried: every item has a deterministic key).
 */
export async function batchPutItems(
  db: Db,
  items: Record<string, unknown>[],
  opts: BatchPutOptions = {},
): Promise<void> {
  const deadline = Date.now() + (opts.deadlineMs ?? 10_000);
  const sleep = opts.sleep ?? defaultSleep;
  const chunks: PutRequest[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    chunks.push(items.slice(i, i + CHUNK).map((Item) => ({ PutRequest: { Item } })));

  /** Writes one chunk; answers how many of its items were still refused at the deadline. */
  const putChunk = async (chunk: PutRequest[]): Promise<number> => {
    let requests = chunk;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: requests } }));
        requests = (res.UnprocessedItems?.[db.table] ?? []) as PutRequest[];
      } catch (err) {
        if (!isRetryable(err)) throw err;
      }
      const remaining = deadline - Date.now();
      if (requests.length === 0 || remaining <= 0) return requests.length;
      await sleep(Math.min(remaining, jitteredDelayMs(attempt + 1, 50, 1_000)));
    }
  };

  let next = 0;
  let unwritten = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < chunks.length && Date.now() < deadline) {
      const left = await putChunk(chunks[next++] as PutRequest[]).catch((err) => {
        stopped = true;
        throw err;
      });
      if (left > 0) stopped = true;
      unwritten += left;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, chunks.length) }, worker));
  const notStarted = chunks.slice(next).reduce((n, c) => n + c.length, 0);
  if (unwritten + notStarted > 0)
    throw new Error(
      `DynamoDB left ${unwritten + notStarted} of ${items.length} items unwritten by the deadline`,
    );
}
