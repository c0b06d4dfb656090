import { Worker } from 'node:worker_threads';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DdbCounts } from './ddb-counter.ts';
import type { Item, LatencyProfile } from './dynamodb-memory.ts';

/**
 * What a delivery container talks to but does not run on its CPU on AWS, in a worker thread of its
 * own: the DynamoDB stand-in, SQS with the event source mapping's pollers, and the receivers. The
 * bench process is one event loop; with them in it, their JSON and HTTP work would be charged to the
 * function being measured. The main thread runs only the function (and the raw baseline's client).
 */
export interface Outside {
  startStandIn(latencies: LatencyProfile): Promise<string>;
  counts(): Promise<DdbCounts>;
  reset(): Promise<void>;
  load(items: Item[]): Promise<void>;
  get(key: Item): Promise<Item | undefined>;
  startSink(latencyMs: number): Promise<Sink>;
  /** A queue of its own (the deliveries queue's settings) on an SQS server in the thread. */
  startQueue(maxAttempts: number): Promise<{ endpoint: string; queueUrl: string; queueArn: string }>;
  /** `count` event-source pollers on that queue, each batch run by `handler` on this thread. */
  startPollers(count: number, handler: (event: SQSEvent) => Promise<SQSBatchResponse>): Promise<void>;
  stopPollers(): Promise<void>;
  close(): Promise<void>;
}

export interface Sink {
  url: string;
  received(): Promise<number>;
  close(): Promise<void>;
}

export function startOutside(): Outside {
  // The thread runs TypeScript like this process does (tsx's loader, passed on through execArgv).
  const worker = new Worker(new URL('./outside-thread.ts', import.meta.url), {
    execArgv: [
      ...process.execArgv,
      ...(process.execArgv.some((a) => a.includes('tsx')) ? [] : ['--import', 'tsx']),
    ],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let handler: ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;
  worker.on(
    'message',
    async (m: { id: number; result?: unknown; error?: string; invoke?: number; event?: SQSEvent }) => {
      if (m.invoke !== undefined) {
        // A failed invocation fails its whole batch, as with Lambda.
        const out = await (handler as NonNullable<typeof handler>)(m.event as SQSEvent).catch(() => ({
          batchItemFailures: (m.event?.Records ?? []).map((r) => ({ itemIdentifier: r.messageId })),
        }));
        worker.postMessage({ invoked: m.invoke, out });
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    },
  );
  const call = <T>(op: string, args?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  return {
    startStandIn: (latencies) => call('startStandIn', latencies),
    counts: () => call('counts'),
    reset: () => call('reset'),
    load: (items) => call('load', items),
    get: (key) => call('get', key),
    startSink: async (latencyMs) => {
      const { id, url } = await call<{ id: number; url: string }>('startSink', latencyMs);
      return {
        url,
        received: () => call<number>('sinkReceived', id),
        close: () => call('closeSink', id),
      };
    },
    startQueue: (maxAttempts) => call('startQueue', maxAttempts),
    startPollers: (count, h) => {
      handler = h;
      return call('startPollers', count);
    },
    stopPollers: () => call('stopPollers'),
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}
