import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamPoller } from '../../../infra/local/stream-poller.ts';

const streams = mockClient(DynamoDBStreamsClient);
const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-12-01T00:00:00.000';

afterEach(() => {
  streams.reset();
});

/** Polls (bounded, 5 s) until `done` holds; the assertions after it say what was expected. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

function record(seq: string) {
  return {
    eventName: 'INSERT' as const,
    dynamodb: { SequenceNumber: seq, Keys: { pk: { S: `P#${seq}` }, sk: { S: 'S' } } },
  };
}

describe('local stream poller', () => {
  it('takes a fresh iterator after DynamoDB Local answers TrimmedDataAccessException, and loses no record', async () => {
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
    streams
      .on(GetShardIteratorCommand)
      .resolvesOnce({ ShardIterator: 'stale' })
      .resolves({ ShardIterator: 'fresh' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'stale' })
      .rejects(new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} }));
    streams
      .on(GetRecordsCommand, { ShardIterator: 'fresh' })
      .resolvesOnce({ Records: [record('100'), record('101')], NextShardIterator: 'after-101' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'after-101' })
      .resolves({ Records: [], NextShardIterator: 'after-101' });

    const seen: string[] = [];
    const errors: unknown[] = [];
    const poller = startStreamPoller({
      streams: streams as unknown as DynamoDBStreamsClient,
      streamArn: STREAM_ARN,
      idleMs: 5,
      onError: (err) => errors.push(err),
      handler: async (event: DynamoDBStreamEvent) => {
        for (const r of event.Records) seen.push(r.dynamodb?.SequenceNumber ?? '');
        return { batchItemFailures: [] };
      },
    });
    await until(() => seen.length >= 2);
    await poller.stop();

    expect(seen).toEqual(['100', '101']);
    expect(errors).toEqual([]);
    // The second iterator was asked for from the same (empty) checkpoint: TRIM_HORIZON again.
    const iteratorCalls = streams.commandCalls(GetShardIteratorCommand).map((c) => c.args[0].input);
    expect(iteratorCalls.slice(0, 2).map((i) => i.ShardIteratorType)).toEqual([
      'TRIM_HORIZON',
      'TRIM_HORIZON',
    ]);
  });

  it('reports other GetRecords errors instead of swallowing them', async () => {
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    streams.on(GetRecordsCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const errors: Error[] = [];
    const poller = startStreamPoller({
      streams: streams as unknown as DynamoDBStreamsClient,
      streamArn: STREAM_ARN,
      idleMs: 5,
      onError: (err) => errors.push(err as Error),
      handler: async () => ({ batchItemFailures: [] }),
    });
    await until(() => errors.length > 0);
    await poller.stop();
    expect(errors[0]?.name).toBe('InternalServerError');
  });

  it('hands the handler empty maps as Lambda does ({"M":{}}), where DynamoDB Local writes {}', async () => {
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    const image = {
      pk: { S: 'P#1' },
      sk: { S: 'S' },
      headers: {},
      nested: { M: { inner: {}, list: { L: [{}, { S: 'x' }] } } },
    };
    streams.on(GetRecordsCommand, { ShardIterator: 'it' }).resolvesOnce({
      Records: [
        {
          eventName: 'MODIFY',
          dynamodb: { SequenceNumber: '1', Keys: image, NewImage: image, OldImage: image },
        },
      ],
      NextShardIterator: 'end',
    } as never);
    streams
      .on(GetRecordsCommand, { ShardIterator: 'end' })
      .resolves({ Records: [], NextShardIterator: 'end' });
    const images: Record<string, unknown>[] = [];
    const poller = startStreamPoller({
      streams: streams as unknown as DynamoDBStreamsClient,
      streamArn: STREAM_ARN,
      idleMs: 5,
      handler: async (event: DynamoDBStreamEvent) => {
        for (const r of event.Records) {
          images.push(unmarshall(r.dynamodb?.NewImage as never), unmarshall(r.dynamodb?.OldImage as never));
        }
        return { batchItemFailures: [] };
      },
    });
    await until(() => images.length >= 2);
    await poller.stop();
    const expected = { pk: 'P#1', sk: 'S', headers: {}, nested: { inner: {}, list: [{}, 'x'] } };
    expect(images).toEqual([expected, expected]);
  });

  it('retries the whole batch when the handler throws (as Lambda does), without skipping it', async () => {
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
    streams
      .on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'first' });
    streams
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '7' })
      .resolves({ ShardIterator: 'again' });
    const batch = { Records: [record('7'), record('8')], NextShardIterator: 'end' };
    streams.on(GetRecordsCommand, { ShardIterator: 'first' }).resolves(batch);
    streams.on(GetRecordsCommand, { ShardIterator: 'again' }).resolves(batch);
    streams
      .on(GetRecordsCommand, { ShardIterator: 'end' })
      .resolves({ Records: [], NextShardIterator: 'end' });
    const calls: string[][] = [];
    const errors: unknown[] = [];
    const poller = startStreamPoller({
      streams: streams as unknown as DynamoDBStreamsClient,
      streamArn: STREAM_ARN,
      idleMs: 5,
      onError: (err) => errors.push(err),
      handler: async (event: DynamoDBStreamEvent) => {
        calls.push(event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ''));
        if (calls.length === 1) throw new Error('handler crashed');
        return { batchItemFailures: [] };
      },
    });
    await until(() => calls.length >= 2);
    await poller.stop();
    expect(calls).toEqual([
      ['7', '8'],
      ['7', '8'],
    ]);
    expect((errors[0] as Error).message).toBe('handler crashed');
  });
});

describe('checkpoint file', () => {
  it('is replaced atomically (temp file + rename) and a damaged one stops the start naming the file', async () => {
    const { mkdtempSync, readdirSync, writeFileSync: write } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readCheckpoints, writeCheckpoints } = await import('../../../infra/local/stream-poller.ts');
    const dir = mkdtempSync(join(tmpdir(), 'wro-checkpoint-'));
    const file = join(dir, 'stream-checkpoints.json');
    expect(readCheckpoints(file)).toEqual({});
    writeCheckpoints(file, { 'shard-1': '42' });
    writeCheckpoints(file, { 'shard-1': '43' });
    expect(readCheckpoints(file)).toEqual({ 'shard-1': '43' });
    expect(readdirSync(dir)).toEqual(['stream-checkpoints.json']); // no temp file left behind
    write(file, '');
    expect(() => readCheckpoints(file)).toThrow(/stream-checkpoints\.json is not a stream checkpoint file/);
    write(file, '{"shard-1":"4');
    expect(() => readCheckpoints(file)).toThrow(/delete it/);
  });
});
