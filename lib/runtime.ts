import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Requests } from './aws/s3-requests.ts';
import type { SecretReader } from './aws/secret-reader.ts';
import { type Config, getConfig } from './config.ts';
import { createDocumentClient, type Db } from './db/client.ts';
import type { Resolver } from './net/target-url.ts';

/**
 * What every function has: its configuration and the DynamoDB client, built once on first use
 * (Lambda reuses them across invocations; local endpoints come from AWS_ENDPOINT_URL_* variables
 * the SDK reads itself), plus hooks tests hand in. Handlers pass what they need to lib/ adapters.
 *
 * Other clients are not here: a function's entry (functions/*.ts) hands in the ones its route or
 * worker uses (`Clients`), so no bundle carries a client it never calls (docs/deploy.md, "Bundles").
 */
export interface Runtime {
  config: Config;
  db: Db;
  /**
   * Secrets Manager, for the functions whose configuration names secret ARNs (the scanner route,
   * target creation and rotation, ticket system callbacks, the delivery worker); absent elsewhere.
   */
  secrets?: SecretReader;
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

/** The workers' clients beyond DynamoDB, each handed in by the entries that use it. */
export interface Clients {
  sqs: SQSClient;
  s3: S3Requests;
}

/** A runtime with some of the extra clients, e.g. `RuntimeWith<'sqs'>` for the delivery worker. */
export type RuntimeWith<K extends keyof Clients> = Runtime & Pick<Clients, K>;

let current: Runtime | undefined;

/** The DynamoDB client for a configuration (endpoint from AWS_ENDPOINT_URL_DYNAMODB), plus any hooks. */
export function createRuntime(
  config: Config,
  extra: Pick<Runtime, 'resolve' | 'afterSend' | 'secrets'> = {},
): Runtime {
  return {
    config,
    db: { doc: createDocumentClient(new DynamoDBClient({})), table: config.tableName },
    ...extra,
  };
}

/** The process's runtime, made once on first use (Lambda reuses it across invocations). */
export function runtime(): Runtime {
  current ??= createRuntime(getConfig());
  return current;
}

/**
 * A Lambda handler built on a runtime: `handler` uses the process's, with the clients `clients()`
 * makes (once, at its first event); `handler.with(rt)` the given one (the local stack and tests hand
 * in their clients and hooks).
 */
export function onRuntime<
  C extends Partial<Clients> & Pick<Runtime, 'secrets'>,
  H extends (event: never, context: never) => Promise<unknown>,
>(clients: () => C, build: (rt: Runtime & C) => H) {
  let built: H | undefined;
  const handler = ((event: Parameters<H>[0], context: Parameters<H>[1]) => {
    built ??= build({ ...runtime(), ...clients() });
    return built(event, context);
  }) as H;
  return Object.assign(handler, { with: build });
}
