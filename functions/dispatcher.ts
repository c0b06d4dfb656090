import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { s3Requests } from '../lib/aws/s3-requests.ts';
import { sqsClient } from '../lib/aws/sqs.ts';
import { loadConfigAtColdStart } from '../lib/config.ts';
import { NO_DEADLINE } from '../lib/deadline.ts';
import { dispatchStreamEvent } from '../lib/dispatch/dispatch.ts';
import { REACTIONS } from '../lib/dispatch/reactions.ts';
import { onRuntime } from '../lib/runtime.ts';

loadConfigAtColdStart();

/** DynamoDB stream → side effects of committed changes (delivery enqueue, failure cleanup and automation). */
export const handler = onRuntime(
  () => ({ sqs: sqsClient(), s3: s3Requests() }),
  (rt) =>
    middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event, context) =>
      dispatchStreamEvent(
        event,
        rt,
        REACTIONS,
        // The local stack's poller gives no context: no timeout stops it there.
        typeof context?.getRemainingTimeInMillis === 'function'
          ? { remainingMs: () => context.getRemainingTimeInMillis() }
          : NO_DEADLINE,
      ),
    ),
);
