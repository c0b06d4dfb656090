import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { type FaultInjector, InvocationCrashed } from '../../infra/local/faults.ts';
import { ensureTable } from '../../infra/local/provision.ts';
import { applyLocalEnvironment, type LocalStack, startLocalStack } from '../../infra/local/stack.ts';
import { createDocumentClient, type Db } from '../../lib/db/client.ts';
import { buildOpenApiDocument } from '../../lib/openapi.ts';
import type { Hooks } from './hooks.ts';
import { type ConformanceChecker, conformanceChecker } from './openapi-conformance.ts';

export const TEST_SCANNER_SECRET = 'test-scanner-secret-0123456789abcdef';

/** A delivery retry schedule of seconds, not hours, for tests that watch retries happen. */
export const SHORT_DELIVERY_SCHEDULE = {
  WRO_DELIVERY_BASE_DELAY_SECONDS: '1',
  WRO_DELIVERY_MAX_DELAY_SECONDS: '2',
  WRO_DELIVERY_MAX_ATTEMPTS: '4',
  WRO_DELIVERY_TIMEOUT_MS: '1000',
  WRO_DELIVERY_LEASE_SECONDS: '5',
};

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A fresh table on the run's DynamoDB Local, with the process configured to use it. */
export async function createTestTable(): Promise<Db> {
  const endpoint = inject('dynamodbEndpoint');
  const table = uniqueName('wro-test');
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, table);
  applyLocalEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: endpoint, WRO_TABLE_NAME: table });
  return { doc: createDocumentClient(client), table };
}

let checker: ConformanceChecker | undefined;
const documentChecker = () => {
  checker ??= conformanceChecker(buildOpenApiDocument());
  return checker;
};

/**
 * The whole local stack (API server, and unless `workers: false` the worker pollers) for one test file.
 * Every answer it gives is checked against the OpenAPI document (test/support/openapi-conformance.ts);
 * `stop()` fails, listing them, when any did not conform, so each end-to-end file holds the document.
 */
export async function startTestStack(
  opts: {
    workers?: boolean;
    env?: Record<string, string>;
    allowPrivateTargets?: boolean;
    hooks?: Hooks;
    integrationTimeoutMs?: number;
    faults?: FaultInjector;
    visibilityTimeoutSeconds?: number;
  } = {},
): Promise<LocalStack & { db: Db }> {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const tableName = uniqueName('wro-test');
  const conformance = documentChecker();
  const faults: string[] = [];
  const stack = await startLocalStack({
    port: 0,
    dynamodbEndpoint,
    sqsEndpoint: inject('sqsEndpoint'),
    tableName,
    queuePrefix: `${tableName}-`,
    dataDir: mkdtempSync(join(tmpdir(), 'wro-test-')),
    scannerSecret: TEST_SCANNER_SECRET,
    allowPrivateTargets: opts.allowPrivateTargets ?? true,
    workers: opts.workers,
    env: opts.env,
    // A crash the fault injector caused is expected; anything else is printed.
    onWorkerError: (err) => {
      if (!(err instanceof InvocationCrashed)) console.error('local stack worker error:', err);
    },
    hooks: opts.hooks,
    integrationTimeoutMs: opts.integrationTimeoutMs,
    faults: opts.faults,
    visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds,
    observe: (x) => {
      try {
        faults.push(...conformance.check(x));
      } catch (err) {
        faults.push(`${x.method} ${x.url} ${x.status}: conformance check failed: ${(err as Error).message}`);
      }
    },
  });
  const client = new DynamoDBClient({
    endpoint: dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    ...stack,
    stop: async (stopOpts) => {
      await stack.stop(stopOpts);
      if (faults.length) {
        const distinct = [...new Set(faults)];
        throw new Error(
          `${faults.length} answers did not match the OpenAPI document (${distinct.length} distinct):\n` +
            distinct.slice(0, 40).join('\n'),
        );
      }
    },
    db: { doc: createDocumentClient(client), table: tableName },
  };
}
