import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchPutItems } from '../../../lib/db/batch-write.ts';
import type { Db } from '../../../lib/db/client.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };
beforeEach(() => ddb.reset());

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

  it('gives up after the retries instead of silently losing items', async () => {
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: { t: input.RequestItems.t } }));
    await expect(batchPutItems(db, [{ pk: 'P', sk: '1' }], { maxRetries: 2 })).rejects.toThrow(/unprocessed/);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('sends nothing for no items', async () => {
    await batchPutItems(db, []);
    expect(ddb.calls()).toHaveLength(0);
  });
});
