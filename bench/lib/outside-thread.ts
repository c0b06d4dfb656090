import { parentPort } from 'node:worker_threads';
import {
  type Item,
  type LatencyProfile,
  type MemoryDynamoDb,
  startMemoryDynamoDb,
} from './dynamodb-memory.ts';
import { startSink } from './webhook-sink.ts';

/**
 * The worker thread behind bench/lib/outside.ts: hosts what is not on a delivery container's CPU on
 * AWS (DynamoDB, the receivers), answering the main thread's requests by message.
 */
let standIn: MemoryDynamoDb | undefined;
const sinks = new Map<number, Awaited<ReturnType<typeof startSink>>>();
let nextSink = 1;

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
  closeSink: async (id: number) => {
    await sinks.get(id)?.close();
    sinks.delete(id);
  },
  close: async () => {
    await Promise.all([...sinks.values()].map((s) => s.close()));
    await standIn?.close();
  },
};

parentPort?.on('message', async (m: { id: number; op: string; args: never }) => {
  try {
    parentPort?.postMessage({ id: m.id, result: await (ops[m.op] as (a: never) => unknown)(m.args) });
  } catch (err) {
    parentPort?.postMessage({ id: m.id, error: String((err as Error).stack ?? err) });
  }
});
