import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/dispatcher.ts';
import { s3Requests } from '../../../lib/aws/s3-requests.ts';
import { parseConfig } from '../../../lib/config.ts';
import type { DispatchRuntime } from '../../../lib/dispatch/reaction.ts';
import { type FakeS3, startFakeS3 } from '../../support/fake-s3.ts';
import { ddbMock, rt as mockedRuntime, QUEUE, resetMocks } from '../dispatch/reactions/harness.ts';

let s3: FakeS3;
let rt: DispatchRuntime;
beforeAll(async () => {
  s3 = await startFakeS3();
  rt = {
    ...mockedRuntime,
    config: parseConfig({
      WRO_TABLE_NAME: 'tbl',
      WRO_DELIVERIES_QUEUE_URL: QUEUE,
      WRO_ARTIFACTS_BUCKET: 'art',
    }),
    s3: s3Requests({ endpoint: s3.endpoint, region: s3.region, credentials: async () => s3.credentials }, {}),
  };
});
afterAll(async () => {
  rt.s3.destroy();
  await s3.close();
});
beforeEach(() => {
  resetMocks();
  // The failure's notification finds no subscribed target: these tests are about the artifacts.
  ddbMock.on(QueryCommand).resolves({ Items: [] });
});

const failedRun = (id: number, seq: string): DynamoDBStreamEvent['Records'][number] => ({
  eventName: 'MODIFY',
  dynamodb: {
    SequenceNumber: seq,
    Keys: marshall({ pk: `SCANRUN#${id}`, sk: 'SCANRUN' }) as never,
    OldImage: marshall({ id, status: 'running', temp_prefix: `tmp/scan-runs/${id}/` }) as never,
    NewImage: marshall({ id, status: 'failed', temp_prefix: `tmp/scan-runs/${id}/` }) as never,
  },
});

describe('the dispatcher on S3 artifact storage', () => {
  it("deletes a failed run's temporary objects through its S3 requests; a replay deletes nothing more", async () => {
    const objects = s3.objects('art');
    for (const key of [
      'tmp/scan-runs/5/a.png',
      'tmp/scan-runs/5/frames/1 2.png',
      'tmp/scan-runs/50/keep.png',
    ])
      objects.set(key, { body: Buffer.from('png') });
    const event = { Records: [failedRun(5, '100')] };
    const dispatch = handler.with(rt);
    expect(await dispatch(event, undefined as never)).toEqual({ batchItemFailures: [] });
    expect([...objects.keys()]).toEqual(['tmp/scan-runs/50/keep.png']);
    const before = s3.requests.length;
    expect(await dispatch(event, undefined as never)).toEqual({ batchItemFailures: [] });
    expect(s3.requests.slice(before).map((r) => r.op)).toEqual(['ListObjectsV2']);
  });

  it('hands the record back when S3 keeps failing, and a later delivery of it finishes the job', async () => {
    const objects = s3.objects('art');
    objects.set('tmp/scan-runs/6/a.png', { body: Buffer.from('png') });
    s3.failNext(...Array.from({ length: 3 }, () => ({ status: 500, code: 'InternalError' })));
    const dispatch = handler.with(rt);
    const event = { Records: [failedRun(6, '200')] };
    expect(await dispatch(event, undefined as never)).toEqual({
      batchItemFailures: [{ itemIdentifier: '200' }],
    });
    expect(objects.has('tmp/scan-runs/6/a.png')).toBe(true);
    expect(await dispatch(event, undefined as never)).toEqual({ batchItemFailures: [] });
    expect(objects.has('tmp/scan-runs/6/a.png')).toBe(false);
  });
});
