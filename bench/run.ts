/**
 * `npm run bench`: measures what users of this system pay for, on the local stack (DynamoDB Local,
 * local SQS, the real handlers), and writes bench/results.json plus BENCHMARKS.md. Timings are
 * reported as ratios against a baseline measured in the same run; counts are exact.
 */
import './lib/quiet-logs.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { freePort } from '../infra/local/ports.ts';
import { ensureQueues, ensureTable } from '../infra/local/provision.ts';
import { startSqsLocal } from '../infra/local/sqs-local.ts';
import { applyLocalEnvironment } from '../infra/local/stack.ts';
import { measureColdStart } from './cold-start.ts';
import { benchDeliveryThroughput } from './delivery-throughput.ts';
import { benchFindingsApply } from './findings-apply.ts';
import { benchHandlerOverhead } from './handler-overhead.ts';
import { benchPlatformCost } from './platform-cost.ts';
import { benchPostback } from './postback.ts';
import { renderBenchmarks } from './render.ts';
import { benchSanitize } from './sanitize.ts';
import { benchVerifyWebhook } from './verify-webhook.ts';

const ROOT = resolve(import.meta.dirname, '..');
const QUICK = process.argv.includes('--quick');
/** `--only <section>`: run that section alone and print its figures; the result files are left alone. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

async function main() {
  const started = Date.now();
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const sqs = await startSqsLocal({ port: await freePort() });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials });
  try {
    const tableName = 'webriskops-bench';
    await ensureTable(
      new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials }),
      tableName,
    );
    const queues = await ensureQueues(sqsClient, 'bench-', 8);
    applyLocalEnvironment({
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      WRO_TABLE_NAME: tableName,
      WRO_DELIVERIES_QUEUE_URL: queues.deliveriesUrl,
      WRO_SCANNER_SHARED_SECRET: 'bench-scanner-secret-0123456789',
      WRO_TARGET_SECRETS_KEY: randomBytes(32).toString('base64'),
      // The bench's webhook sink listens on loopback.
      WRO_ALLOW_PRIVATE_TARGETS: '1',
      WRO_ARTIFACTS_DIR: mkdtempSync(join(tmpdir(), 'wro-bench-')),
      WRO_LOG_LEVEL: 'ERROR',
    });
    const results: Record<string, unknown> = {
      generated_at: new Date().toISOString(),
      machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
    };
    const section = async (name: string, fn: () => Promise<unknown>) => {
      if (ONLY && ONLY !== name) return;
      const t = Date.now();
      process.stdout.write(`bench: ${name} … `);
      results[name] = await fn();
      console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    await section('scanner_postback', () =>
      benchPostback(
        QUICK
          ? [
              { pages: 1, issues: 10, reps: 5 },
              { pages: 100, issues: 20, reps: 2 },
            ]
          : [
              { pages: 1, issues: 10, reps: 30 },
              { pages: 100, issues: 20, reps: 7 },
              { pages: 1000, issues: 10, reps: 3 },
            ],
      ),
    );
    await section('findings_apply', () =>
      benchFindingsApply(QUICK ? { pages: 100, issuesPerPage: 10 } : { pages: 1000, issuesPerPage: 10 }),
    );
    await section('handler_overhead', () =>
      benchHandlerOverhead({ requests: QUICK ? 10 : 40, blocks: QUICK ? 2 : 5, pages: 1, issues: 10 }),
    );
    await section('sanitization', async () =>
      benchSanitize({ megabytes: QUICK ? 1 : 4, rounds: QUICK ? 2 : 5 }),
    );
    await section('platform_cost', () => benchPlatformCost());
    await section('webhook_verification', () =>
      benchVerifyWebhook({ messages: QUICK ? 500 : 3000, bodyBytes: 4096, rounds: QUICK ? 2 : 5 }),
    );
    await section('delivery_throughput', () =>
      benchDeliveryThroughput({
        dynamoEndpoint: dynamo.endpoint,
        pollers: 2,
        costReps: QUICK ? 2 : 5,
        cases: QUICK
          ? [
              { latencyMs: 0, deliveries: 40 },
              { latencyMs: 50, deliveries: 40 },
              { latencyMs: 500, deliveries: 40 },
            ]
          : [
              { latencyMs: 0, deliveries: 300 },
              { latencyMs: 50, deliveries: 300 },
              { latencyMs: 500, deliveries: 200 },
            ],
      }),
    );
    await section('cold_start', () =>
      measureColdStart({
        runs: QUICK ? 3 : 9,
        command: QUICK ? 'npm run bench -- --quick' : 'npm run bench',
      }),
    );
    results.total_seconds = Math.round((Date.now() - started) / 1000);
    if (ONLY) {
      console.log(JSON.stringify(results[ONLY], null, 2));
      return;
    }
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(results));
    console.log('bench: wrote bench/results.json and BENCHMARKS.md');
  } finally {
    sqsClient.destroy();
    await sqs.stop();
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
