import { parentPort } from 'node:worker_threads';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { freePort } from '../../infra/local/ports.ts';
import { ensureQueues } from '../../infra/local/provision.ts';
import { type SqsLocal, startSqsLocal } from '../../infra/local/sqs-local.ts';
import { type Poller, startSqsPoller } from '../../infra/local/sqs-poller.ts';
import {
  type Item,
  type LatencyProfile,
  type MemoryDynamoDb,
  startMemoryDynamoDb,
} from './dynamodb-memory.ts';
import { startSink } from './webhook-sink.ts';

/**
 * The worker thread behind bench/lib/outside.ts: hosts what is not on a delivery container's CPU on
 * AWS (DynamoDB, SQS and its event source mapping, the receivers), answering the main thread's
 * requests by message. The pollers hand each batch to the main thread, which runs the function.
 */
let standIn: MemoryDynamoDb | undefined;
const sinks = new Map<number, Awaited<ReturnType<typeof startSink>>>();
let nextSink = 1;
let sqs: { local: SqsLocal; client: SQSClient; queueUrl: string; queueArn: string } | undefined;
let pollers: Poller[] = [];
const invocations = new Map<number, (out: SQSBatchResponse) => void>();
let nextInvocation = 1;

/** Runs the function on the main thread with one batch, as the event source mapping invokes it. */
const invokeOnMain = (event: SQSEvent) =>
  new Promise<SQSBatchResponse>((resolve) => {
    const invocation = nextInvocation++;
    invocations.set(invocation, resolve);
    parentPort?.postMessage({ invoke: invocation, event });
  });

const ops: Record<string, (args: never) => unknown> = {
  startStandIn: async (latencies: LatencyProfile) => {
    standIn = await startMemoryDynamoDb(latencies);
    return standIn.url;
  },
  counts: () => standIn?.counts,
  reset: () => standIn?.reset(),
  load: (items: Item[]) => standIn?.load(items),
  get: (key: Item) => standIn?.get(key),
  startSink: async (latencyMs: number) => {
    const sink = await startSink(latencyMs);
    const id = nextSink++;
    sinks.set(id, sink);
    return { id, url: sink.url };
  },
  sinkReceived: (id: number) => sinks.get(id)?.received() ?? 0,
  startQueue: async (maxAttempts: number) => {
    const local = await startSqsLocal({ port: await freePort() });
    const client = new SQSClient({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const queues = await ensureQueues(client, 'bench-outside-', maxAttempts);
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.deliveriesUrl, AttributeNames: ['QueueArn'] }),
    );
    sqs = { local, client, queueUrl: queues.deliveriesUrl, queueArn: attrs.Attributes?.QueueArn as string };
    return { endpoint: local.endpoint, queueUrl: sqs.queueUrl, queueArn: sqs.queueArn };
  },
  startPollers: (count: number) => {
    const q = sqs;
    if (!q) throw new Error('startQueue first');
    pollers = Array.from({ length: count }, () =>
      startSqsPoller({ sqs: q.client, queueUrl: q.queueUrl, queueArn: q.queueArn, handler: invokeOnMain }),
    );
  },
  stopPollers: async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    pollers = [];
  },
  closeSink: async (id: number) => {
    await sinks.get(id)?.close();
    sinks.delete(id);
  },
  close: async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    await Promise.all([...sinks.values()].map((s) => s.close()));
    await standIn?.close();
    sqs?.client.destroy();
    await sqs?.local.stop();
  },
};

parentPort?.on(
  'message',
  async (m: { id: number; op: string; args: never; invoked?: number; out?: SQSBatchResponse }) => {
    if (m.invoked !== undefined) {
      invocations.get(m.invoked)?.(m.out as SQSBatchResponse);
      invocations.delete(m.invoked);
      return;
    }
    try {
      parentPort?.postMessage({ id: m.id, result: await (ops[m.op] as (a: never) => unknown)(m.args) });
    } catch (err) {
      parentPort?.postMessage({ id: m.id, error: String((err as Error).stack ?? err) });
    }
  },
);
