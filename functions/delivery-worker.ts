import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { secretsManager } from '../lib/aws/secrets-manager.ts';
import { sqsClient } from '../lib/aws/sqs.ts';
import { loadConfigAtColdStart } from '../lib/config.ts';
import { handleDeliveryBatch } from '../lib/queue/delivery-batch.ts';
import { onRuntime } from '../lib/runtime.ts';

loadConfigAtColdStart();

/** Deliveries queue → signed webhooks (ticket exports and events), with partial batch failures. */
export const handler = onRuntime(
  () => ({ sqs: sqsClient(), secrets: secretsManager }),
  (rt) => middy<SQSEvent, SQSBatchResponse>().handler((event) => handleDeliveryBatch(event, rt)),
);
