import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Config, getConfig } from './config.ts';
import { createDocumentClient, type Db } from './db/client.ts';
import type { Resolver } from './net/target-url.ts';

/**
 * The process's AWS clients and configuration, built once on first use (Lambda reuses them across
 * invocations; local endpoints come from AWS_ENDPOINT_URL_* variables the SDK reads itself).
 * Handlers take what they need from here and pass it to lib/ adapters as arguments.
 */
export interface Runtime {
  config: Config;
  db: Db;
  sqs: SQSClient;
  s3: S3Client;
  /** DNS for target URL checks, at creation and before every send (default: the system's). */
  resolve?: Resolver;
  /**
   * Runs after a webhook was sent and before its outcome is written. Production never sets it; tests
   * hand it in (with `handler.with(rt)`) to crash a worker in exactly that window.
   */
  afterSend?: (ctx: {
    kind: 'ticket_export' | 'event';
    id: string;
    deliveryId: string;
  }) => void | Promise<void>;
}

let current: Runtime | undefined;

/** Clients for a configuration (endpoints from the SDK's AWS_ENDPOINT_URL_* variables), plus any hooks. */
export function createRuntime(config: Config, extra: Pick<Runtime, 'resolve' | 'afterSend'> = {}): Runtime {
  return {
    config,
    db: { doc: createDocumentClient(new DynamoDBClient({})), table: config.tableName },
    sqs: new SQSClient({}),
    s3: new S3Client({ forcePathStyle: true }),
    ...extra,
  };
}

/** The process's runtime, made once on first use (Lambda reuses it across invocations). */
export function runtime(): Runtime {
  current ??= createRuntime(getConfig());
  return current;
}

/**
 * A Lambda handler built on a runtime: `handler` uses the process's (made once, at its first event),
 * `handler.with(rt)` the given one (the local stack and tests hand in their clients and hooks).
 */
export function onRuntime<H extends (event: never, context: never) => Promise<unknown>>(
  build: (rt: Runtime) => H,
) {
  let built: H | undefined;
  const handler = ((event: Parameters<H>[0], context: Parameters<H>[1]) => {
    built ??= build(runtime());
    return built(event, context);
  }) as H;
  return Object.assign(handler, { with: build });
}
