import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Poller } from './sqs-poller.ts';

const STALE_ITERATOR_ERRORS = new Set(['TrimmedDataAccessException', 'ExpiredIteratorException']);

type AttributeValue = Record<string, unknown>;

/**
 * DynamoDB Local's stream writes an empty map as `{}` instead of `{"M":{}}` (seen with 3.3.0: an item
 * holding `responseHeaders: {}` arrives as `"response_headers":{}`), which unmarshall rejects; Lambda's
 * events from real streams carry `{"M":{}}`. Give the handler what Lambda would.
 */
function lambdaValue(value: AttributeValue): AttributeValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: lambdaImage(value.M as Record<string, AttributeValue>) };
  if (Array.isArray(value.L)) return { L: (value.L as AttributeValue[]).map(lambdaValue) };
  return value;
}

function lambdaImage(image: Record<string, AttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, lambdaValue(v)]));
}

function lambdaShaped(record: _Record): _Record {
  const d = record.dynamodb;
  if (!d) return record;
  const fix = (img: unknown) => (img ? lambdaImage(img as Record<string, AttributeValue>) : undefined);
  return {
    ...record,
    dynamodb: { ...d, NewImage: fix(d.NewImage), OldImage: fix(d.OldImage) } as _Record['dynamodb'],
  };
}

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The local stand-in for Lambda's DynamoDB stream event source mapping (with
 * ReportBatchItemFailures): reads every shard in order, hands batches to the handler, and on a reported
 * failure retries from that record after a short pause. The last processed sequence number per shard is
 * kept in `checkpointFile` (if given), so a restart resumes where it stopped.
 */
export function startStreamPoller(opts: {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  handler: StreamHandler;
  checkpointFile?: string;
  batchSize?: number;
  idleMs?: number;
  onError?: (err: unknown) => void;
}): Poller {
  const checkpoints: Record<string, string> = opts.checkpointFile ? readCheckpoints(opts.checkpointFile) : {};
  const iterators = new Map<string, string | null>();
  const save = () => {
    if (opts.checkpointFile) writeCheckpoints(opts.checkpointFile, checkpoints);
  };
  let stopped = false;

  async function iteratorFor(shardId: string, retryFrom?: string): Promise<string | undefined> {
    const after = checkpoints[shardId];
    const input = retryFrom
      ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: retryFrom }
      : after
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after }
        : { ShardIteratorType: 'TRIM_HORIZON' as const };
    try {
      const res = await opts.streams.send(
        new GetShardIteratorCommand({ StreamArn: opts.streamArn, ShardId: shardId, ...input }),
      );
      return res.ShardIterator;
    } catch (err) {
      if ((err as Error).name !== 'TrimmedDataAccessException') throw err;
      const res = await opts.streams.send(
        new GetShardIteratorCommand({
          StreamArn: opts.streamArn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      return res.ShardIterator;
    }
  }

  const getRecords = (iterator: string) =>
    opts.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: opts.batchSize ?? 100 }));

  async function pollShard(shardId: string): Promise<boolean> {
    let it = iterators.get(shardId);
    if (it === null) return false; // closed and drained
    it ??= await iteratorFor(shardId);
    if (!it) return false;
    let res: Awaited<ReturnType<typeof getRecords>>;
    try {
      res = await getRecords(it);
    } catch (err) {
      // DynamoDB Local answers TrimmedDataAccessException for a TRIM_HORIZON iterator taken while the
      // shard was empty, once records arrive (aws/aws-sdk-java#2923); iterators also expire. Either way,
      // take a fresh iterator from the checkpoint on the next round.
      if (!STALE_ITERATOR_ERRORS.has((err as Error).name)) throw err;
      iterators.delete(shardId);
      return false;
    }
    const records = (res.Records ?? []) as _Record[];
    iterators.set(shardId, res.NextShardIterator ?? null);
    if (records.length === 0) return false;
    const event = { Records: records.map(lambdaShaped) as unknown as DynamoDBStreamEvent['Records'] };
    let failed: string | undefined;
    try {
      failed = (await opts.handler(event)).batchItemFailures[0]?.itemIdentifier;
    } catch (err) {
      // Like Lambda on a function error: the whole batch is retried, nothing after it is read first.
      opts.onError?.(err);
      failed = records[0]?.dynamodb?.SequenceNumber;
    }
    const failedIndex = failed ? records.findIndex((r) => r.dynamodb?.SequenceNumber === failed) : -1;
    const lastOk = failedIndex === -1 ? records.at(-1) : records[failedIndex - 1];
    if (lastOk?.dynamodb?.SequenceNumber) checkpoints[shardId] = lastOk.dynamodb.SequenceNumber;
    save();
    if (failedIndex !== -1) {
      iterators.set(shardId, (await iteratorFor(shardId, failed)) ?? null);
      await new Promise((r) => setTimeout(r, 1000));
    }
    return true;
  }

  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        const desc = await opts.streams.send(new DescribeStreamCommand({ StreamArn: opts.streamArn }));
        for (const shard of desc.StreamDescription?.Shards ?? []) {
          if (stopped) break;
          if (shard.ShardId && (await pollShard(shard.ShardId))) busy = true;
        }
      } catch (err) {
        if (stopped) break;
        opts.onError?.(err);
      }
      if (!busy) await new Promise((r) => setTimeout(r, opts.idleMs ?? 250));
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Checkpoints are written to a temporary file and renamed over the old one, so a kill mid-write
 * leaves the previous checkpoint, never a truncated file.
 */
export function writeCheckpoints(file: string, checkpoints: Record<string, string>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoints));
  renameSync(tmp, file);
}

/** The saved checkpoints; a file that is not a checkpoint map stops the start with its name. */
export function readCheckpoints(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, string>;
  } catch {
    // reported below
  }
  throw new Error(
    `${file} is not a stream checkpoint file (${text.length} bytes); delete it to re-read the stream from its start`,
  );
}
