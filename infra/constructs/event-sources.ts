import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { REACTIONS } from '../../lib/dispatch/reactions.ts';
import { MAX_STREAM_FILTERS, streamFilterPatterns } from '../../lib/dispatch/stream-filter.ts';
import { QUEUES } from '../../lib/queue/definitions.ts';
import type { AppFunction } from './app-function.ts';

/** Stream records per dispatcher invocation: small enough that a batch's reactions fit the timeout. */
export const DISPATCHER_BATCH_SIZE = 25;
/** Retries of a failing stream batch (halved each time by bisection) before it goes to the failure queue. */
export const DISPATCHER_RETRY_ATTEMPTS = 20;
/**
 * Records older than this stop being retried and go to the failure queue, leaving 12 of the stream's
 * 24 hours to replay them from the shard and sequence numbers the failure message carries.
 */
export const DISPATCHER_MAX_RECORD_AGE = Duration.hours(12);

/**
 * Deliveries queue → delivery worker: the queue's batch size, partial batch failures reported by the
 * handler (only the failed messages come back), and a concurrency cap so a burst of exports cannot
 * take the account's Lambda concurrency or flood receivers. The cap may not exceed the function's
 * reserved concurrency (AWS: reserved ≥ the event sources' maximum concurrency; above it Lambda
 * throttles and the messages go back to the queue, spending receives toward the DLQ).
 */
export function wireDeliveryWorker(
  f: AppFunction,
  queue: sqs.IQueue,
  maxConcurrency: number,
  reservedConcurrency: number | undefined,
): void {
  if (reservedConcurrency !== undefined && maxConcurrency > reservedConcurrency) {
    throw new Error(
      `delivery worker: event source maximum concurrency ${maxConcurrency} exceeds its reserved concurrency ${reservedConcurrency}`,
    );
  }
  f.fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: QUEUES.deliveries.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency,
    }),
  );
}

/** The dispatcher's event-source filter: the records some reaction acts on (lib/dispatch/stream-filter.ts). */
export function dispatcherFilters(): Array<Record<string, unknown>> {
  const patterns = streamFilterPatterns(REACTIONS);
  if (patterns.length > MAX_STREAM_FILTERS) {
    throw new Error(
      `the reactions need ${patterns.length} stream filters; Lambda allows ${MAX_STREAM_FILTERS} per event source mapping`,
    );
  }
  return patterns.map((p) => lambda.FilterCriteria.filter(p));
}

/**
 * Table stream → dispatcher, from the oldest record still in the stream (TRIM_HORIZON: nothing
 * committed before the mapping existed is skipped), with partial batch failures, bisection of a
 * failing batch, bounded retries, and an SQS on-failure destination that an alarm watches. Only
 * the records some reaction acts on reach the function (`dispatcherFilters`): Lambda drops the rest
 * (a postback's page and issue items, rate-limit counters, idempotency records, …) unbilled.
 */
export function wireDispatcher(f: AppFunction, table: dynamodb.ITable, failures: sqs.IQueue): void {
  f.fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: DISPATCHER_BATCH_SIZE,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: DISPATCHER_RETRY_ATTEMPTS,
      maxRecordAge: DISPATCHER_MAX_RECORD_AGE,
      parallelizationFactor: 1,
      filters: dispatcherFilters(),
      onFailure: new SqsDlq(failures),
    }),
  );
  Validations.of(f).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "The stream event source needs dynamodb:ListStreams, which supports no resource-level permission; every other stream action is on this table's stream ARN.",
  });
}
