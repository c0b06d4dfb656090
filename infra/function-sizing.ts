import { Duration } from 'aws-cdk-lib';
import { parseConfig } from '../lib/config.ts';
import { DELIVERY_FUNCTION_TIMEOUT_SECONDS } from '../lib/queue/definitions.ts';

export interface FunctionSize {
  /** MB; on Lambda, CPU grows with memory, so this also sets cold-start and JSON-parsing speed. */
  memorySize: number;
  timeout: Duration;
}

/**
 * API functions: 512 MB (a third of a vCPU on arm64: quick cold starts for a ~1 MB bundle at a
 * small per-ms price) and 10 s, far above a request's few DynamoDB calls and under both API
 * Gateway's 30 s integration limit and the idempotency lock (a crashed request's claim must expire
 * after the function is surely gone).
 */
export const API_FUNCTION: FunctionSize = { memorySize: 512, timeout: Duration.seconds(10) };

/** Routes that do more per request than the default allows for. */
export const ROUTE_SIZES: Record<string, FunctionSize> = {
  /** Scanner postbacks are up to 6 MB of pages and issues: parsed, validated, redacted, written in batches. */
  'scanner.results.store': { memorySize: 1024, timeout: Duration.seconds(25) },
  /** Preparing an export reads the chosen issues and renders every ticket payload. */
  'exports.create': { memorySize: 512, timeout: Duration.seconds(20) },
};

export const WORKER_SIZES = {
  /** The queue's visibility timeout is derived from this timeout (lib/queue/definitions.ts). */
  'delivery-worker': { memorySize: 512, timeout: Duration.seconds(DELIVERY_FUNCTION_TIMEOUT_SECONDS) },
  /** A stream batch (DISPATCHER_BATCH_SIZE records) of idempotent reactions: queue sends, S3 clean-up. */
  dispatcher: { memorySize: 512, timeout: Duration.seconds(60) },
} as const satisfies Record<string, FunctionSize>;

export const routeSize = (name: string): FunctionSize => ROUTE_SIZES[name] ?? API_FUNCTION;

/** Idempotency lock of lib/config.ts (WRO_IDEMPOTENCY_LOCK_SECONDS default), which API timeouts stay under. */
export const IDEMPOTENCY_LOCK_SECONDS = parseConfig({
  WRO_TABLE_NAME: 'sizing-defaults',
}).idempotencyLockSeconds;

/** API Gateway HTTP API's largest integration timeout. */
export const HTTP_API_INTEGRATION_TIMEOUT_SECONDS = 30;
