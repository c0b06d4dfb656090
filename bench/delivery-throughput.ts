import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { build } from 'esbuild';
import { handler as scannerResults } from '../functions/scanner-results.ts';
import { BUNDLE_FILE, esbuildOptions } from '../infra/bundling.ts';
import { applyPlan } from '../lib/db/commit.ts';
import { getItems, type TableKey } from '../lib/db/dynamo.ts';
import { keys } from '../lib/db/keys.ts';
import { readRunIssuesByFingerprint } from '../lib/db/scan-results-store.ts';
import { getExport } from '../lib/db/ticket-exports-store.ts';
import { planCreateTarget } from '../lib/domain/target-url-writes.ts';
import { planPrepareExport } from '../lib/domain/ticket-export-prepare.ts';
import { planApprove } from '../lib/domain/ticket-exports.ts';
import { QUEUES } from '../lib/queue/definitions.ts';
import { readHints, sendDeliveryMessage } from '../lib/queue/deliveries-queue.ts';
import { type Runtime, runtime } from '../lib/runtime.ts';
import { type DdbCounts, sequentialRoundTrips } from './lib/ddb-counter.ts';
import { AWS_LIKE_LATENCIES, type Item } from './lib/dynamodb-memory.ts';
import { type DynamoDbProxy, startDynamoDbProxy } from './lib/dynamodb-proxy.ts';
import { benchAccount, postbackBody } from './lib/fixtures.ts';
import { invoke } from './lib/invoke.ts';
import { type Outside, startOutside } from './lib/outside.ts';
import { ratio, round } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
/**
 * The delivery worker as the release before the payload item shipped it (commit 8a0ee89: state read,
 * lease, target and account reads, outcome transaction; the body inline in the export item), built
 * with that commit's bundling options and kept gzipped, so "today's" throughput is measured in the
 * same run as the current worker.
 */
const REFERENCE = join(ROOT, 'bench', 'reference', 'delivery-worker@8a0ee89', `${BUNDLE_FILE}.gz`);

/**
 * The baseline: `count` plain POSTs of `body` to the sink, `concurrency` in flight, over kept-alive
 * connections (as the worker sends since it pools them per checked address), so the ratio compares
 * the pipeline with the best a bare client does, not with one that opens a connection per POST.
 */
async function rawPosts(url: string, body: string, count: number, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          await post();
        }
      }),
    );
    return performance.now() - started;
  } finally {
    agent.destroy();
  }
}

type Worker = (event: SQSEvent, context: never) => Promise<SQSBatchResponse>;
type WorkerName = 'current' | 'reference';

/**
 * The two workers as shipped bundles. Their DynamoDB clients resolve AWS_ENDPOINT_URL_DYNAMODB on
 * their first request, so the caller keeps it naming their backend while they run.
 */
async function buildWorkers(): Promise<(instance: string) => Promise<Record<WorkerName, Worker>>> {
  const dir = join(tmpdir(), `wro-bench-delivery-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'reference'), { recursive: true });
  await build(esbuildOptions(join(ROOT, 'functions/delivery-worker.ts'), join(dir, 'current', BUNDLE_FILE)));
  writeFileSync(join(dir, 'reference', BUNDLE_FILE), gunzipSync(readFileSync(REFERENCE)));
  // Each instance is a fresh module (its own clients), as a new container would be.
  return async (instance) => {
    const load = async (name: WorkerName) =>
      (
        (await import(`${pathToFileURL(join(dir, name, BUNDLE_FILE)).href}?instance=${instance}`)) as {
          handler: Worker;
        }
      ).handler;
    return { current: await load('current'), reference: await load('reference') };
  };
}

/** Approved exports of `issues` issues (evidence padded to `evidenceBytes`) to `targetId`. */
async function approvedExports(
  rt: Runtime,
  fixture: Fixture,
  targetId: string,
  count: number,
  shape: ExportShape,
  worker: WorkerName,
) {
  const ids: string[] = [];
  let body = '';
  const run = fixture.runs[shape.name] as { runId: number; fingerprints: string[] };
  for (let i = 0; i < count; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async () => {
        const prepared = await applyPlan(
          rt.db,
          await planPrepareExport({ db: rt.db, readIssues: readRunIssuesByFingerprint }, fixture.accountRef, {
            scan_run_id: run.runId,
            issue_fingerprints: run.fingerprints,
          }),
        );
        await applyPlan(rt.db, await planApprove(rt.db, fixture.accountRef, prepared.id, targetId));
        // The reference worker reads the body from the export's own item, as its release stored it
        // (with the fingerprints, so its writes cost what they cost then).
        if (worker === 'reference') {
          await rt.db.doc.send(
            new UpdateCommand({
              TableName: rt.db.table,
              Key: keys.ticketExport(prepared.id),
              UpdateExpression: 'SET body = :b, issue_fingerprints = :f',
              ExpressionAttributeValues: { ':b': prepared.body, ':f': prepared.issue_fingerprints },
            }),
          );
        }
        ids.push(prepared.id);
        body = prepared.body;
      }),
    );
  }
  return { ids, body };
}

interface ExportShape {
  name: '2kb' | '256kb';
  issues: number;
  evidenceBytes?: number;
}
const SHAPES: ExportShape[] = [
  { name: '2kb', issues: 3 },
  { name: '256kb', issues: 100, evidenceBytes: 1_900 },
];

interface Fixture {
  accountRef: { accountId: string; plan: string };
  runs: Record<string, { runId: number; fingerprints: string[] }>;
}

async function fixture(rt: Runtime): Promise<Fixture> {
  const { account, newRun } = await benchAccount(rt);
  const runs: Fixture['runs'] = {};
  for (const shape of SHAPES) {
    const runId = await newRun();
    const body = postbackBody(runId, 1, shape.issues, { evidenceBytes: shape.evidenceBytes });
    const res = await invoke(scannerResults, {
      method: 'POST',
      path: '/api/scanner/results',
      headers: {
        'Content-Type': 'application/json',
        'X-Scanner-Secret': process.env.WRO_SCANNER_SHARED_SECRET as string,
        'Idempotency-Key': `bench-delivery-${runId}`,
      },
      body: JSON.stringify(body),
    });
    if (res.statusCode !== 202) throw new Error(`postback answered ${res.statusCode}: ${res.body}`);
    runs[shape.name] = { runId, fingerprints: body.pages[0]!.issues.map((i) => i.fingerprint) };
  }
  return { accountRef: { accountId: account.id, plan: account.plan }, runs };
}

async function sinkTarget(rt: Runtime, f: Fixture, url: string, name: string) {
  const { target } = await applyPlan(
    rt.db,
    await planCreateTarget({ db: rt.db, config: rt.config }, f.accountRef, {
      provider_key: 'generic_webhook',
      base_url: url,
      deployment_mode: 'cloud',
      name,
      events: ['ticket_export'],
    }),
  );
  return target;
}

/** An SQS record as the event source mapping hands it over, for one message. */
function sqsRecord(body: unknown, queueArn: string, n: string): SQSRecord {
  return {
    messageId: `bench-cost-${n}`,
    receiptHandle: `bench-cost-${n}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  } as unknown as SQSRecord;
}

/**
 * Per-attempt cost: one delivered export at a time through each worker, counted by the backend:
 * requests by operation, sequential round trips, and (DynamoDB Local only) the write units DynamoDB
 * reports. Every measured attempt must cost the same.
 */
async function attemptCosts(
  rt: Runtime,
  f: Fixture,
  outside: Outside,
  backend: Backend,
  workers: Record<WorkerName, Worker>,
  queueArn: string,
  reps: number,
) {
  const sink = await outside.startSink(0);
  const rows = [];
  try {
    const target = await sinkTarget(rt, f, sink.url, `bench cost sink ${backend.name}`);
    let n = 0;
    for (const shape of SHAPES) {
      for (const name of ['reference', 'current'] as const) {
        const { ids, body } = await approvedExports(rt, f, target.id, reps, shape, name);
        await backend.adopt(adoptedKeys(f, target.id, ids));
        const samples = [];
        for (const id of ids) {
          await backend.reset();
          const message = {
            type: 'ticket_export',
            export_id: id,
            ...readHints({ target_id: target.id, account_id: f.accountRef.accountId }),
          };
          const out = await workers[name](
            { Records: [sqsRecord(message, queueArn, `${backend.name}-${n++}`)] },
            {} as never,
          );
          if (out.batchItemFailures.length > 0) throw new Error(`${name}: the attempt was not acknowledged`);
          const counts = await backend.counts();
          samples.push({
            requests: counts.requests,
            byCommand: { ...counts.byCommand },
            roundTrips: sequentialRoundTrips(counts),
            writeUnits: counts.writeUnits,
          });
        }
        const statuses = await Promise.all(ids.map((id) => backend.status(id)));
        if (statuses.some((s) => s !== 'exported')) throw new Error(`${name}: not every export was exported`);
        const first = samples[0]!;
        rows.push({
          worker: name,
          export: shape.name,
          body_bytes: Buffer.byteLength(body),
          attempts_measured: samples.length,
          requests: first.requests,
          requests_by_operation: first.byCommand,
          sequential_round_trips: first.roundTrips,
          write_units: first.writeUnits,
          // What this backend measures exactly: units on DynamoDB Local (its loopback answers are too
          // fast for overlap to show), round trips on the stand-in.
          identical_across_attempts: samples.every(
            (x) =>
              x.requests === first.requests &&
              (backend.name === 'dynamodb_local'
                ? x.writeUnits === first.writeUnits
                : x.roundTrips === first.roundTrips),
          ),
        });
      }
    }
  } finally {
    await sink.close();
  }
  return rows;
}

/** The items a delivery of these exports reads: the target, the account, each export's two items. */
const adoptedKeys = (f: Fixture, targetId: string, ids: string[]): TableKey[] => [
  keys.target(targetId),
  keys.account(f.accountRef.accountId),
  ...ids.flatMap((id) => [keys.ticketExport(id), keys.deliveryPayload(keys.exportPartition(id))]),
];

/** The section's own deliveries queue, on the outside thread's SQS server. */
interface Queue {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
}

/** Where the workers' DynamoDB requests go during a throughput case. */
interface Backend {
  name: 'dynamodb_local' | 'aws_like_stand_in';
  url: string;
  counts(): Promise<DdbCounts>;
  reset(): Promise<void>;
  /** Makes items written to DynamoDB Local by the fixtures visible to the workers. */
  adopt(keys: TableKey[]): Promise<void>;
  status(exportId: string): Promise<string | undefined>;
}

function localBackend(rt: Runtime, proxy: DynamoDbProxy): Backend {
  return {
    name: 'dynamodb_local',
    url: proxy.url,
    counts: async () => proxy.counts,
    reset: async () => proxy.reset(),
    adopt: async () => {},
    status: async (id) => (await getExport(rt.db, id, true))?.status,
  };
}

async function standInBackend(rt: Runtime, outside: Outside): Promise<Backend> {
  const url = await outside.startStandIn(AWS_LIKE_LATENCIES);
  return {
    name: 'aws_like_stand_in',
    url,
    counts: () => outside.counts(),
    reset: () => outside.reset(),
    adopt: async (wanted) => {
      for (let i = 0; i < wanted.length; i += 100) {
        const chunk = wanted.slice(i, i + 100);
        const found = await getItems<Record<string, unknown>>(rt.db, chunk, { consistent: true });
        await outside.load(
          found.flatMap((item, j) =>
            item
              ? [marshall({ ...item, ...chunk[j] }, { removeUndefinedValues: true }) as unknown as Item]
              : [],
          ),
        );
      }
    },
    status: async (id) =>
      (await outside.get(marshall(keys.ticketExport(id)) as unknown as Item))?.status?.S as
        | string
        | undefined,
  };
}

/**
 * One throughput case: `deliveries` approved exports whose messages wait on local SQS, drained by
 * `pollers` local event-source pollers (batch size 10, like the event source mapping with that
 * maximum concurrency) invoking `worker` → a sink answering after `latencyMs`. Timed from the first
 * received batch to the last acknowledged message; every export must end `exported` and the sink must
 * count exactly one request per export.
 */
async function pipelineRun(
  rt: Runtime,
  f: Fixture,
  outside: Outside,
  backend: Backend,
  worker: Worker,
  name: WorkerName,
  queue: Queue,
  pollerCount: number,
  c: { latencyMs: number; deliveries: number },
) {
  const sink = await outside.startSink(c.latencyMs);
  try {
    const target = await sinkTarget(rt, f, sink.url, `bench sink ${name} ${c.latencyMs} ms`);
    const { ids, body } = await approvedExports(rt, f, target.id, c.deliveries, SHAPES[0]!, name);
    await backend.adopt(adoptedKeys(f, target.id, ids));
    for (const id of ids) {
      await sendDeliveryMessage(queue.client, queue.queueUrl, {
        type: 'ticket_export',
        export_id: id,
        target_id: target.id,
        account_id: f.accountRef.accountId,
      });
    }
    await backend.reset();
    let acked = 0;
    let batches = 0;
    let batchMs = 0;
    let firstBatchAt = 0;
    let lastAckAt = 0;
    let done: () => void = () => {};
    const drained = new Promise<void>((r) => {
      done = r;
    });
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const t = performance.now();
      firstBatchAt ||= t;
      const out = await worker(event, {} as never);
      batches++;
      batchMs += performance.now() - t;
      acked += event.Records.length - out.batchItemFailures.length;
      if (acked >= c.deliveries) {
        lastAckAt ||= performance.now();
        done();
      }
      return out;
    };
    await outside.startPollers(pollerCount, handler);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        drained,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`delivery bench (${name}): ${acked}/${c.deliveries} acked after 180 s`)),
            180_000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await outside.stopPollers();
    }
    const counts = await backend.counts();
    const statuses = await Promise.all(ids.map((id) => backend.status(id)));
    const exported = statuses.filter((s) => s === 'exported').length;
    const received = await sink.received();
    if (exported !== c.deliveries || received !== c.deliveries) {
      throw new Error(
        `delivery bench (${name}, ${backend.name}): ${exported} exported, ${received} received, of ${c.deliveries}`,
      );
    }
    return {
      perS: (c.deliveries / (lastAckAt - firstBatchAt)) * 1000,
      body,
      meanBatchMs: batchMs / batches,
      meanDynamoDbMs: counts.requestMs / counts.requests,
      requestsPerDelivery: counts.requests / c.deliveries,
    };
  } finally {
    await sink.close();
  }
}

/**
 * Delivery: per-attempt DynamoDB cost of the current worker and of the reference (the release before
 * the payload item), and deliveries/s of both against raw POSTs at 0, 50 and 500 ms receiver latency,
 * on DynamoDB Local and on the concurrent, latency-injected stand-in (bench/lib/dynamodb-memory.ts).
 * Both workers run as shipped bundles.
 */
export async function benchDeliveryThroughput(opts: {
  dynamoEndpoint: string;
  pollers: number;
  costReps: number;
  cases: { latencyMs: number; deliveries: number }[];
}) {
  const rt = runtime();
  const f = await fixture(rt);
  const proxy = await startDynamoDbProxy(opts.dynamoEndpoint);
  const outside = startOutside();
  const envBefore = { ...process.env };
  let queueClient: SQSClient | undefined;
  try {
    const q = await outside.startQueue(rt.config.delivery.maxAttempts);
    queueClient = new SQSClient({
      endpoint: q.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const queue: Queue = { client: queueClient, queueUrl: q.queueUrl, queueArn: q.queueArn };
    // The workers' configuration (read when a bundle is imported) names this queue.
    process.env.AWS_ENDPOINT_URL_SQS = q.endpoint;
    process.env.WRO_DELIVERIES_QUEUE_URL = q.queueUrl;
    const instance = await buildWorkers();
    const backends = [localBackend(rt, proxy), await standInBackend(rt, outside)];
    const concurrency = opts.pollers * QUEUES.deliveries.batchSize;
    const costs: Record<string, Awaited<ReturnType<typeof attemptCosts>>> = {};
    const results = [];
    let caseIndex = 0;
    for (const backend of backends) {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = backend.url;
      const workers = await instance(backend.name);
      costs[backend.name] = await attemptCosts(
        rt,
        f,
        outside,
        backend,
        workers,
        queue.queueArn,
        opts.costReps,
      );
      for (const c of opts.cases) {
        // Reference and current back to back, in alternating order from case to case (neither is
        // always the one that runs on a warmer machine), then the raw baseline.
        const run = (name: WorkerName) =>
          pipelineRun(rt, f, outside, backend, workers[name], name, queue, opts.pollers, c);
        const referenceFirst = caseIndex++ % 2 === 0;
        const first = await run(referenceFirst ? 'reference' : 'current');
        const second = await run(referenceFirst ? 'current' : 'reference');
        const [reference, current] = referenceFirst ? [first, second] : [second, first];
        const sink = await outside.startSink(c.latencyMs);
        let rawPerS: number;
        try {
          rawPerS =
            (c.deliveries / (await rawPosts(sink.url, current.body, c.deliveries, concurrency))) * 1000;
        } finally {
          await sink.close();
        }
        results.push({
          dynamodb: backend.name,
          receiver_latency_ms: c.latencyMs,
          deliveries: c.deliveries,
          ran_first: referenceFirst ? 'reference' : 'current',
          body_bytes: Buffer.byteLength(current.body),
          in_flight: concurrency,
          raw_posts_per_s: round(rawPerS, 1),
          reference_deliveries_per_s: round(reference.perS, 1),
          current_deliveries_per_s: round(current.perS, 1),
          current_per_container_per_s: round(current.perS / opts.pollers, 1),
          ratio_current_vs_raw: ratio(current.perS, rawPerS),
          ratio_reference_vs_raw: ratio(reference.perS, rawPerS),
          ratio_current_vs_reference: ratio(current.perS, reference.perS),
          reference_mean_batch_ms: round(reference.meanBatchMs, 1),
          current_mean_batch_ms: round(current.meanBatchMs, 1),
          reference_dynamodb_requests_per_delivery: round(reference.requestsPerDelivery, 2),
          current_dynamodb_requests_per_delivery: round(current.requestsPerDelivery, 2),
          reference_mean_dynamodb_request_ms: round(reference.meanDynamoDbMs, 1),
          current_mean_dynamodb_request_ms: round(current.meanDynamoDbMs, 1),
        });
      }
    }
    // Write units from DynamoDB Local (the stand-in reports none); round trips from the stand-in,
    // where every request takes its milliseconds and requests in flight together visibly overlap.
    const attemptCost = (costs.dynamodb_local ?? []).map((row, i) => {
      const standIn = costs.aws_like_stand_in?.[i];
      return {
        ...row,
        sequential_round_trips: standIn?.sequential_round_trips ?? row.sequential_round_trips,
        identical_across_attempts:
          row.identical_across_attempts && (standIn?.identical_across_attempts ?? true),
      };
    });
    return {
      command: 'npm run bench',
      pollers: opts.pollers,
      batch_size: QUEUES.deliveries.batchSize,
      reference: 'delivery-worker@8a0ee89',
      aws_like_latencies_ms: AWS_LIKE_LATENCIES,
      attempt_cost: attemptCost,
      results,
    };
  } finally {
    for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'WRO_DELIVERIES_QUEUE_URL']) {
      if (envBefore[name] === undefined) delete process.env[name];
      else process.env[name] = envBefore[name];
    }
    queueClient?.destroy();
    await proxy.close();
    await outside.close();
  }
}
