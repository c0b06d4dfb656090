import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handler as deliveryWorker } from '../functions/delivery-worker.ts';
import { handler as scannerResults } from '../functions/scanner-results.ts';
import { startSqsPoller } from '../infra/local/sqs-poller.ts';
import { applyPlan } from '../lib/db/commit.ts';
import { readRunIssuesByFingerprint } from '../lib/db/scan-results-store.ts';
import { getExport } from '../lib/db/ticket-exports-store.ts';
import { planCreateTarget } from '../lib/domain/target-url-writes.ts';
import { planPrepareExport } from '../lib/domain/ticket-export-prepare.ts';
import { planApprove } from '../lib/domain/ticket-exports.ts';
import { QUEUES } from '../lib/queue/definitions.ts';
import { sendDeliveryMessage } from '../lib/queue/deliveries-queue.ts';
import { runtime } from '../lib/runtime.ts';
import { countDynamoDbRequests, emptyCounts } from './lib/ddb-counter.ts';
import { benchAccount, postbackBody } from './lib/fixtures.ts';
import { invoke } from './lib/invoke.ts';
import { ratio, round } from './lib/stats.ts';

/** A webhook sink: answers 204 after `latencyMs`, counts what it received. */
async function startSink(latencyMs: number) {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      setTimeout(() => res.writeHead(204).end(), latencyMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received: () => received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The baseline: `count` plain POSTs of `body` to the sink, `concurrency` in flight, one connection each. */
async function rawPosts(url: string, body: string, count: number, concurrency: number): Promise<number> {
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: false,
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
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await post();
      }
    }),
  );
  return performance.now() - started;
}

/**
 * Delivery throughput: approved ticket exports, their messages waiting on local SQS, drained by
 * `pollers` local event-source pollers (batch size 10, like the CDK event source mapping with that
 * maximum concurrency) that invoke the real delivery Lambda handler (lease, send-time URL check,
 * signing, pinned POST, attempt log + state transaction, partial batch response) → a local sink
 * answering after a fixed latency. Timed from the first receive to the last acknowledged message.
 * Baseline, same run and sink: plain HTTP POSTs of the same body with the same number in flight.
 */
export async function benchDeliveryThroughput(opts: {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  pollers: number;
  cases: { latencyMs: number; deliveries: number }[];
}) {
  const rt = runtime();
  const { account, newRun } = await benchAccount(rt);
  const accountRef = { accountId: account.id, plan: account.plan };
  const runId = await newRun();
  const res = await invoke(scannerResults, {
    method: 'POST',
    path: '/api/scanner/results',
    headers: {
      'Content-Type': 'application/json',
      'X-Scanner-Secret': process.env.WRO_SCANNER_SHARED_SECRET as string,
      'Idempotency-Key': `bench-delivery-${runId}`,
    },
    body: JSON.stringify(postbackBody(runId, 1, 3)),
  });
  if (res.statusCode !== 202) throw new Error(`postback answered ${res.statusCode}: ${res.body}`);
  const fingerprints = postbackBody(runId, 1, 3).pages[0]!.issues.map((i) => i.fingerprint);
  const concurrency = opts.pollers * QUEUES.deliveries.batchSize;

  const results = [];
  for (const c of opts.cases) {
    const sink = await startSink(c.latencyMs);
    try {
      const { target } = await applyPlan(
        rt.db,
        await planCreateTarget({ db: rt.db, config: rt.config }, accountRef, {
          provider_key: 'generic_webhook',
          base_url: sink.url,
          deployment_mode: 'cloud',
          name: `bench sink ${c.latencyMs} ms`,
          events: ['ticket_export'],
        }),
      );
      // Prepare and approve the exports (not timed), then put one message per export on the queue.
      const ids: string[] = [];
      let body = '';
      for (let i = 0; i < c.deliveries; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, c.deliveries - i) }, async () => {
            const prepared = await applyPlan(
              rt.db,
              await planPrepareExport({ db: rt.db, readIssues: readRunIssuesByFingerprint }, accountRef, {
                scan_run_id: runId,
                issue_fingerprints: fingerprints,
              }),
            );
            await applyPlan(rt.db, await planApprove(rt.db, accountRef, prepared.id, target.id));
            await sendDeliveryMessage(opts.sqs, opts.queueUrl, {
              type: 'ticket_export',
              export_id: prepared.id,
            });
            ids.push(prepared.id);
            body = prepared.body;
          }),
        );
      }

      let acked = 0;
      let firstBatchAt = 0;
      let lastAckAt = 0;
      let done: () => void = () => {};
      const drained = new Promise<void>((r) => {
        done = r;
      });
      const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        firstBatchAt ||= performance.now();
        const out = (await deliveryWorker(event, {} as never)) as SQSBatchResponse;
        acked += event.Records.length - out.batchItemFailures.length;
        if (acked >= c.deliveries) {
          lastAckAt ||= performance.now();
          done();
        }
        return out;
      };
      const counts = emptyCounts();
      const stopCounting = countDynamoDbRequests(rt.db.doc, counts);
      const pollers = Array.from({ length: opts.pollers }, () =>
        startSqsPoller({ sqs: opts.sqs, queueUrl: opts.queueUrl, queueArn: opts.queueArn, handler }),
      );
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          drained,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`delivery bench: ${acked}/${c.deliveries} acked after 180 s`)),
              180_000,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
        await Promise.all(pollers.map((p) => p.stop()));
      }
      const pipelineMs = lastAckAt - firstBatchAt;
      stopCounting();
      const statuses = await Promise.all(ids.map(async (id) => (await getExport(rt.db, id))?.status));
      const exported = statuses.filter((s) => s === 'exported').length;
      if (exported !== c.deliveries || sink.received() !== c.deliveries) {
        throw new Error(
          `delivery bench: ${exported} exported, ${sink.received()} received, of ${c.deliveries}`,
        );
      }

      const rawMs = await rawPosts(sink.url, body, c.deliveries, concurrency);
      const pipelinePerS = (c.deliveries / pipelineMs) * 1000;
      const rawPerS = (c.deliveries / rawMs) * 1000;
      results.push({
        receiver_latency_ms: c.latencyMs,
        deliveries: c.deliveries,
        body_bytes: Buffer.byteLength(body),
        in_flight: concurrency,
        pipeline_deliveries_per_s: round(pipelinePerS, 1),
        raw_posts_per_s: round(rawPerS, 1),
        ratio_pipeline_vs_raw: ratio(pipelinePerS, rawPerS),
        target_met: pipelinePerS >= rawPerS / 2,
        dynamodb_requests_per_delivery: round(counts.requests / c.deliveries, 2),
        dynamodb_requests_by_command: counts.byCommand,
        dynamodb_mean_request_ms: round(counts.requestMs / counts.requests, 1),
      });
    } finally {
      await sink.close();
    }
  }
  return {
    command: 'npm run bench',
    pollers: opts.pollers,
    batch_size: QUEUES.deliveries.batchSize,
    results,
  };
}
