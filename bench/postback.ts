import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { handler as scannerResults } from '../functions/scanner-results.ts';
import { runtime } from '../lib/runtime.ts';
import { ScannerResultSchema } from '../lib/schemas/scanner-results.ts';
import { countDynamoDbRequests, emptyCounts, sequentialRoundTrips } from './lib/ddb-counter.ts';

/** Per-request latency of the stand-in the round trips are counted on (AWS: a few ms per request). */
const ROUND_TRIP_LATENCY_MS = 10;

import { benchAccount, postbackBody } from './lib/fixtures.ts';
import { invoke } from './lib/invoke.ts';
import { ratio, round, summarize } from './lib/stats.ts';

/** The obvious alternative the batched writer is measured against: one PutItem per page and issue. */
async function naiveWrite(body: ReturnType<typeof postbackBody>, concurrency: number): Promise<number> {
  const rt = runtime();
  const items = body.pages.flatMap((p, pi) => [
    { pk: `NAIVE#${body.scanRunId}`, sk: `PAGE#${pi}`, ...p.page, ...p.artifacts },
    ...p.issues.map((i) => ({ pk: `NAIVE#${body.scanRunId}`, sk: `ISSUE#${i.fingerprint}`, ...i })),
  ]);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const Item = items[next++];
      await rt.db.doc.send(new PutCommand({ TableName: rt.db.table, Item }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return items.length;
}

/**
 * Scanner postback cost and scale: wall time per postback through the full handler against DynamoDB
 * Local, the exact DynamoDB requests and write units it makes, and two baselines measured in the same
 * run: JSON.parse + zod validation of the same body, and a naive one-PutItem-per-item writer.
 */
export async function benchPostback(sizes: { pages: number; issues: number; reps: number }[]) {
  const rt = runtime();
  const { newRun } = await benchAccount(rt);
  const secret = process.env.WRO_SCANNER_SHARED_SECRET as string;
  const results = [];
  for (const size of sizes) {
    const times: number[] = [];
    const parseTimes: number[] = [];
    let counts = emptyCounts();
    for (let rep = 0; rep < size.reps; rep++) {
      const id = await newRun();
      const body = JSON.stringify(postbackBody(id, size.pages, size.issues));
      let t = performance.now();
      const parsed = ScannerResultSchema().safeParse(JSON.parse(body));
      parseTimes.push(performance.now() - t);
      if (!parsed.success) throw new Error('bench payload is invalid');
      counts = emptyCounts();
      // The last repetition runs on the latency-injected stand-in, for the sequential round trips.
      const latencyMs = rep === size.reps - 1 ? ROUND_TRIP_LATENCY_MS : 0;
      const remove = countDynamoDbRequests(rt.db.doc, counts, { latencyMs });
      t = performance.now();
      const res = await invoke(scannerResults, {
        method: 'POST',
        path: '/api/scanner/results',
        headers: {
          'Content-Type': 'application/json',
          'X-Scanner-Secret': secret,
          'Idempotency-Key': `bench-${id}`,
        },
        body,
      });
      if (!latencyMs) times.push(performance.now() - t);
      remove();
      if (res.statusCode !== 202) throw new Error(`postback answered ${res.statusCode}: ${res.body}`);
    }
    const items = size.pages + size.pages * size.issues;
    const naiveId = await newRun();
    const t = performance.now();
    const naiveRequests = await naiveWrite(postbackBody(naiveId, size.pages, size.issues), 4);
    const naiveMs = performance.now() - t;
    const wall = summarize(times);
    const parse = summarize(parseTimes);
    results.push({
      size: `${size.pages}x${size.issues}`,
      items_written: items,
      wall_ms: wall,
      parse_validate_ms: parse,
      ratio_p50_vs_parse_validate: ratio(wall.p50, parse.p50),
      ms_per_item_p50: round(wall.p50 / items, 4),
      dynamodb_requests: counts.requests,
      sequential_round_trips: sequentialRoundTrips(counts),
      round_trip_latency_injected_ms: ROUND_TRIP_LATENCY_MS,
      dynamodb_requests_by_command: counts.byCommand,
      request_budget: Math.ceil(items / 25) + 8,
      write_units: round(counts.writeUnits, 1),
      naive_put_item: {
        requests: naiveRequests,
        wall_ms: round(naiveMs, 1),
        ratio_vs_pipeline_p50: ratio(naiveMs, wall.p50),
      },
    });
  }
  return { command: 'npm run bench', results };
}
