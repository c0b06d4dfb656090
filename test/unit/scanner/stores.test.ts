import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fsArtifactStore, s3ArtifactStore } from '../../../lib/artifacts/artifact-store.ts';
import { batchPutItems } from '../../../lib/db/batch-write.ts';
import type { Db } from '../../../lib/db/client.ts';
import { commitCompletedRun, commitFailedRun } from '../../../lib/db/scan-results-store.ts';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };
beforeEach(() => ddb.reset());

const cancelled = (code: string) =>
  new TransactionCanceledException({
    message: 'x',
    $metadata: {},
    CancellationReasons: [{ Code: code }, { Code: 'None' }],
  });

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
  });
});

describe('run commits', () => {
  const run = { id: 7, account_id: 'acc_1' } as ScanRunItem;

  it('completion is one conditional update; a failed condition means someone else finished the run', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    expect(await commitCompletedRun(db, 7, 'ing', { pages_scanned: 1 }, 'now')).toBe(true);
    expect(await commitCompletedRun(db, 7, 'ing', { pages_scanned: 1 }, 'now')).toBe(false);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe('#status = :queued');
  });

  it('failure is one transaction (run + credit); retried on a transaction conflict, refused once terminal', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict'))
      .resolvesOnce({})
      .rejectsOnce(cancelled('ConditionalCheckFailed'));
    expect(await commitFailedRun(db, run, { code: 'X', message: 'm' }, 'now')).toBe(true);
    expect(await commitFailedRun(db, run, { code: 'X', message: 'm' }, 'now')).toBe(false);
    const input = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(input.TransactItems).toHaveLength(2);
    expect(input.TransactItems![0]!.Update!.ConditionExpression).toContain('credit_reserved = :true');
    expect(input.TransactItems![1]!.Update!.UpdateExpression).toBe('SET scan_credits = scan_credits + :one');
  });
});

describe('artifact stores', () => {
  it('S3: lists the prefix page by page and deletes what it finds', async () => {
    const s3 = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(s3);
    mock
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'tmp/scan-runs/7/a' }, { Key: 'tmp/scan-runs/7/b' }],
        IsTruncated: true,
        NextContinuationToken: 'n',
      })
      .resolvesOnce({ Contents: [{ Key: 'tmp/scan-runs/7/c' }], IsTruncated: false });
    mock.on(DeleteObjectsCommand).resolves({});
    expect(await s3ArtifactStore(s3, 'bucket').deletePrefix('tmp/scan-runs/7/')).toBe(3);
    expect(mock.commandCalls(ListObjectsV2Command)[1]!.args[0].input.ContinuationToken).toBe('n');
    await expect(s3ArtifactStore(s3, 'bucket').deletePrefix('../etc/')).rejects.toThrow(/unsafe/);
  });

  it('filesystem: deletes the prefix folder only, and refuses to leave the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wro-art-'));
    mkdirSync(join(root, 'tmp/scan-runs/7/sub'), { recursive: true });
    writeFileSync(join(root, 'tmp/scan-runs/7/a.png'), 'x');
    writeFileSync(join(root, 'tmp/scan-runs/7/sub/b.html'), 'x');
    mkdirSync(join(root, 'artifacts'));
    writeFileSync(join(root, 'artifacts/keep.png'), 'x');
    const store = fsArtifactStore(root);
    expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(2);
    expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(0);
    expect(existsSync(join(root, 'artifacts/keep.png'))).toBe(true);
    await expect(store.deletePrefix('tmp/../../')).rejects.toThrow(/unsafe/);
  });
});
