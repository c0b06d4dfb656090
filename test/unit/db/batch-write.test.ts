import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { batchPutItems } from '../../../lib/db/batch-write.ts';
import type { Db } from '../../../lib/db/client.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };
beforeEach(() => ddb.reset());

const throttled = () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });

describe('batched writes', () => {
  it('writes in chunks of 25 and retries UnprocessedItems until none are left', async () => {
    let first = true;
    ddb.on(BatchWriteCommand).callsFake((input) => {
      const reqs = input.RequestItems.t;
      if (first) {
        first = false;
        return { UnprocessedItems: { t: reqs.slice(0, 3) } };
      }
      return { UnprocessedItems: {} };
    });
    const items = Array.from({ length: 60 }, (_, i) => ({ pk: 'P', sk: String(i) }));
    await batchPutItems(db, items, { concurrency: 1 });
    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.t!.length);
    expect(sizes).toEqual([25, 3, 25, 10]);
  });

  it('keeps retrying refused items past 8 tries while the deadline allows', async () => {
    let calls = 0;
    ddb.on(BatchWriteCommand).callsFake((input) => {
      calls++;
      if (calls <= 6) throw throttled();
      return { UnprocessedItems: calls <= 12 ? { t: input.RequestItems.t.slice(0, 1) } : {} };
    });
    const pauses: number[] = [];
    const sleep = async (ms: number) => void pauses.push(ms);
    await batchPutItems(
      db,
      [
        { pk: 'P', sk: '1' },
        { pk: 'P', sk: '2' },
      ],
      { sleep, deadlineMs: 60_000 },
    );
    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.t!.length);
    expect(sizes).toEqual([...Array(7).fill(2), ...Array(6).fill(1)]);
    expect(pauses).toHaveLength(12);
    // Full jitter: each pause is at most 50 ms × 2^(retry − 1), capped at 1 s.
    for (const [i, ms] of pauses.entries()) expect(ms).toBeLessThanOrEqual(Math.min(1_000, 50 * 2 ** i));
  });

  it('throws once the deadline has passed, saying how many items were left', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: { t: input.RequestItems.t } }));
      // Each pause moves the clock 1 s on: tries at 0, 1, …, 5 s, the deadline is 5 s.
      const sleep = async () => void vi.setSystemTime(Date.now() + 1_000);
      const items = Array.from({ length: 30 }, (_, i) => ({ pk: 'P', sk: String(i) }));
      await expect(batchPutItems(db, items, { sleep, deadlineMs: 5_000, concurrency: 1 })).rejects.toThrow(
        'DynamoDB left 30 of 30 items unwritten by the deadline',
      );
      expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(6);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts no chunk after the deadline, even when every write succeeds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Each call takes 1 s: chunks start at 0, 1 and 2 s; at 3 s the 2.5 s deadline has passed.
      ddb.on(BatchWriteCommand).callsFake(() => {
        vi.setSystemTime(Date.now() + 1_000);
        return {};
      });
      const items = Array.from({ length: 125 }, (_, i) => ({ pk: 'P', sk: String(i) }));
      await expect(batchPutItems(db, items, { deadlineMs: 2_500, concurrency: 1 })).rejects.toThrow(
        'DynamoDB left 50 of 125 items unwritten by the deadline',
      );
      expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not retry what is not retryable, and stops taking chunks after a failure', async () => {
    ddb.on(BatchWriteCommand).rejects(Object.assign(new Error('bad'), { name: 'ValidationException' }));
    const items = Array.from({ length: 100 }, (_, i) => ({ pk: 'P', sk: String(i) }));
    await expect(batchPutItems(db, items, { concurrency: 1 })).rejects.toThrow('bad');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });

  it('keeps 8 chunks in flight by default', async () => {
    let inFlight = 0;
    let most = 0;
    ddb.on(BatchWriteCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return {};
    });
    await batchPutItems(
      db,
      Array.from({ length: 25 * 20 }, (_, i) => ({ pk: 'P', sk: String(i) })),
    );
    expect(most).toBe(8);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(20);
  });

  it('sends nothing for no items', async () => {
    await batchPutItems(db, []);
    expect(ddb.calls()).toHaveLength(0);
  });
});
