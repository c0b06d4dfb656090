import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import { createScanRunWrites, type ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { explainCreateRunFailure } from '../../../lib/domain/scan-runs.ts';
import { ScanCreditsExhaustedError } from '../../../lib/errors.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddbMock.reset());

describe('scan run store', () => {
  it('reports a cancelled credit reservation as entry 0 failing, which means SCAN_CREDITS_EXHAUSTED', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const run = { id: 1, account_id: 'acc_1' } as ScanRunItem;
    const outcome = await commitWrites(db, createScanRunWrites(db, run));
    expect(outcome).toMatchObject({ kind: 'condition_failed', failures: [{ index: 0 }] });
    // The domain gives entry 0's failure its meaning.
    if (outcome.kind !== 'condition_failed') throw new Error('expected a failed condition');
    expect(() => explainCreateRunFailure(outcome.failures[0]!)).toThrow(ScanCreditsExhaustedError);
  });
});
