import { Worker } from 'node:worker_threads';
import type { DdbCounts } from './ddb-counter.ts';
import type { Item, LatencyProfile } from './dynamodb-memory.ts';

/**
 * What a delivery container talks to but does not run on its CPU on AWS, the DynamoDB stand-in and
 * the receivers, in a worker thread of their own: the bench process is a single event loop, and
 * with them in it their JSON and HTTP work would be charged to the pipeline being measured (the raw
 * baseline talks to the same sinks).
 */
export interface Outside {
  startStandIn(latencies: LatencyProfile): Promise<string>;
  counts(): Promise<DdbCounts>;
  reset(): Promise<void>;
  load(items: Item[]): Promise<void>;
  get(key: Item): Promise<Item | undefined>;
  startSink(latencyMs: number): Promise<Sink>;
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
  worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.result);
  });
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
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}
