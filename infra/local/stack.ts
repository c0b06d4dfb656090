import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { s3Requests } from '../../lib/aws/s3-requests.ts';
import { sqsClient } from '../../lib/aws/sqs.ts';
import { parseConfig } from '../../lib/config.ts';
import { createDocumentClient } from '../../lib/db/client.ts';
import { WORKERS } from '../../lib/http/routes.ts';
import { QUEUES } from '../../lib/queue/definitions.ts';
import { redrivePendingDeliveries } from '../../lib/queue/redrive-pending.ts';
import { createRuntime, type Runtime, type RuntimeWith } from '../../lib/runtime.ts';
import { startArtifactServer } from './artifact-server.ts';
import type { FaultInjector } from './faults.ts';
import { createLocalHttpServer, type LocalHttpServerOptions } from './http-server.ts';
import { ensureQueues, ensureTable } from './provision.ts';
import { type Poller, startSqsPoller } from './sqs-poller.ts';
import { startStreamPoller } from './stream-poller.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';
/**
 * How long a graceful stop lets requests in flight run before it cuts their connections: as long as
 * one may run at all (API Gateway's 30 s integration timeout, which the local gateway's context keeps).
 */
const DRAIN_DEADLINE_MS = 30_000;

export interface LocalStackOptions {
  /** HTTP port for the API (0 = any free port). */
  port: number;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  /** Prefix for queue names, so several stacks can share one SQS server (tests). */
  queuePrefix?: string;
  /** Folder for artifacts and stream checkpoints; omitted → a temporary folder per stack. */
  dataDir: string;
  scannerSecret?: string;
  /** base64 of 32 bytes; omitted → a fresh key (fine for tests; npm start keeps one in the data folder). */
  targetSecretsKey?: string;
  allowPrivateTargets?: boolean;
  /** Extra WRO_* settings (e.g. a short delivery retry schedule for tests). */
  env?: Record<string, string>;
  /** Run the SQS → delivery worker and stream → dispatcher pollers (default true). */
  workers?: boolean;
  onWorkerError?: (err: unknown) => void;
  /** Test hooks the handlers are built with: a DNS resolver, a crash point after a webhook was sent. */
  hooks?: Pick<Runtime, 'resolve' | 'afterSend'>;
  /** Sees every request the API answers (tests check each answer against the OpenAPI document). */
  observe?: LocalHttpServerOptions['observe'];
  /** API Gateway's integration timeout, 30 s (tests shorten it). */
  integrationTimeoutMs?: number;
  /**
   * The deliveries queue's visibility timeout (lib/queue/definitions.ts): how long the messages of a
   * crashed worker invocation stay away. Tests that crash workers shorten it.
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Fault injection (infra/local/faults.ts): installed on the handlers' DynamoDB and SQS clients, and
   * every route and worker invocation runs as one that a crash fault can end. Off when absent.
   */
  faults?: FaultInjector;
}

export interface LocalStack {
  apiUrl: string;
  server: Server;
  queues: { deliveriesUrl: string; deliveriesDlqUrl: string };
  /**
   * Graceful stop: the API takes no new connections, closes idle ones at once and lets requests in
   * flight finish and answer (cut after `drainDeadlineMs`, default 10 s) while the pollers stop; then
   * the SDK clients go. Calling it again returns the same promise.
   */
  stop(opts?: { drainDeadlineMs?: number }): Promise<void>;
}

/**
 * Configures this process like a Lambda environment pointed at the local emulators. Handlers read
 * the configuration once, on first use, so this must run before the first request.
 */
export function applyLocalEnvironment(values: Record<string, string>): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ...values,
  });
}

/**
 * Graceful close for an HTTP server, installed right after it is created so that it sees every
 * request. The returned function stops accepting connections (`server.close()`), closes idle
 * keep-alive connections at once, lets each request being handled run to completion and write its
 * response — with `Connection: close`, so that connection ends after it instead of waiting for more —
 * and resolves once every connection is gone. After `deadlineMs` the remaining connections are cut,
 * so a stuck request cannot hold the stop forever.
 */
function gracefulCloser(server: Server): (deadlineMs: number) => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (closing) lastOnItsConnection(res);
  });
  return (deadlineMs) => {
    closing = true;
    for (const res of inFlight) lastOnItsConnection(res);
    const closed = new Promise<void>((res) => server.close(() => res()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    return closed.finally(() => clearTimeout(deadline));
  };
}

/** A worker's handler module (the one Lambda runs), built on the stack's runtime. */
async function importWorker<T>(entry: string, rt: Runtime): Promise<T> {
  const mod = (await import(pathToFileURL(resolve(REPO_ROOT, entry)).href)) as {
    handler: { with(rt: Runtime): T };
  };
  return mod.handler.with(rt);
}

/** Provisions table and queues from the shared definitions and runs API server, worker and dispatcher. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const prefix = opts.queuePrefix ?? '';
  const artifactsDir = join(opts.dataDir, 'artifacts');
  mkdirSync(artifactsDir, { recursive: true });
  const ddb = new DynamoDBClient({
    endpoint: opts.dynamodbEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({ endpoint: opts.sqsEndpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  const streams = new DynamoDBStreamsClient({
    endpoint: opts.dynamodbEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const maxAttempts = Number(
    opts.env?.WRO_DELIVERY_MAX_ATTEMPTS ?? process.env.WRO_DELIVERY_MAX_ATTEMPTS ?? 8,
  );
  const { streamArn } = await ensureTable(ddb, opts.tableName);
  const queues = await ensureQueues(sqs, prefix, maxAttempts, opts.visibilityTimeoutSeconds);
  // S3's presigned GETs, locally: the artifacts folder served to signed, expiring URLs (scan reports).
  const artifactsKey = randomBytes(32).toString('base64');
  const artifactServer = await startArtifactServer({ rootDir: artifactsDir, signingKey: artifactsKey });

  applyLocalEnvironment({
    AWS_ENDPOINT_URL_DYNAMODB: opts.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: opts.sqsEndpoint,
    WRO_TABLE_NAME: opts.tableName,
    WRO_DELIVERIES_QUEUE_URL: queues.deliveriesUrl,
    WRO_ARTIFACTS_DIR: artifactsDir,
    WRO_LOCAL_ARTIFACTS_URL: artifactServer.url,
    WRO_LOCAL_ARTIFACTS_KEY: artifactsKey,
    WRO_ALLOW_PRIVATE_TARGETS: opts.allowPrivateTargets === false ? '0' : '1',
    WRO_TARGET_SECRETS_KEY: opts.targetSecretsKey ?? randomBytes(32).toString('base64'),
    ...(opts.scannerSecret ? { WRO_SCANNER_SHARED_SECRET: opts.scannerSecret } : {}),
    ...opts.env,
  });

  // The handlers read this configuration on their first request; check it now, so a bad value stops
  // the start with its message instead of answering 500 to every request.
  // Handlers are built on this runtime (the stack's configuration, and the hooks tests hand in).
  const rt: RuntimeWith<'sqs' | 's3'> = {
    ...createRuntime(parseConfig(process.env), opts.hooks),
    sqs: sqsClient(),
    s3: s3Requests(),
  };
  const faults = opts.faults;
  faults?.install(rt.db.doc, 'dynamodb');
  faults?.install(rt.sqs, 'sqs');
  const invocation = <E, C, R>(name: string, handler: (event: E, context: C) => Promise<R>) =>
    faults ? faults.wrap(name, handler) : handler;

  const server = createLocalHttpServer(rt, {
    observe: opts.observe,
    integrationTimeoutMs: opts.integrationTimeoutMs,
    wrap: invocation,
  });
  const closeServer = gracefulCloser(server);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port, '127.0.0.1', () => res());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  const pollers: Poller[] = [];
  if (opts.workers !== false) {
    const queueArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queues.deliveriesUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn as string;
    const delivery = invocation(
      'delivery',
      await importWorker<(e: SQSEvent) => Promise<SQSBatchResponse>>(WORKERS.delivery.entry, rt),
    );
    const dispatcher = invocation(
      'dispatcher',
      await importWorker<(e: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>>(
        WORKERS.dispatcher.entry,
        rt,
      ),
    );
    pollers.push(
      startSqsPoller({
        sqs,
        queueUrl: queues.deliveriesUrl,
        queueArn,
        handler: (e) => delivery(e, undefined),
        batchSize: QUEUES.deliveries.batchSize,
        onError: opts.onWorkerError,
      }),
      startStreamPoller({
        streams,
        streamArn,
        handler: (e) => dispatcher(e, undefined),
        checkpointFile: join(opts.dataDir, `stream-checkpoints-${opts.tableName}.json`),
        onError: opts.onWorkerError,
      }),
    );
    // Local SQS keeps messages in memory: continue in-flight deliveries from their DynamoDB state.
    const db = { doc: createDocumentClient(ddb), table: opts.tableName };
    await redrivePendingDeliveries(db, sqs, queues.deliveriesUrl);
  }

  let stopping: Promise<void> | undefined;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    server,
    queues,
    stop: (stopOpts) => {
      stopping ??= (async () => {
        // The API drains while the pollers finish their current batch; the clients go last, once
        // nothing uses them any more.
        await Promise.all([
          closeServer(stopOpts?.drainDeadlineMs ?? DRAIN_DEADLINE_MS),
          ...pollers.map((p) => p.stop()),
        ]);
        await artifactServer.stop();
        ddb.destroy();
        sqs.destroy();
        streams.destroy();
        // The handlers' clients, once no drained request can still use them.
        rt.db.doc.destroy();
        rt.sqs.destroy();
        rt.s3.destroy();
      })();
      return stopping;
    },
  };
}

/** A development scanner secret (printed at start; never used by the CDK stack). */
export function generateDevSecret(): string {
  return `dev_${randomBytes(24).toString('base64url')}`;
}
