import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { attemptOutcomeBatch, type OutcomeBatchMember } from '../db/attempt-outcome-batch.ts';
import { batchAttemptInputsReader, markProcessingFailed } from '../db/deliveries-store.ts';
import {
  attemptReads,
  type DeliveryDeps,
  type MessageDecision,
  messageTarget,
  processDelivery,
} from '../domain/delivery.ts';
import { backoffDelaySeconds } from '../domain/retry-policy.ts';
import { logger, withLogKeys } from '../logger.ts';
import type { DeliveryMessage } from './definitions.ts';
import {
  changeMessageVisibility,
  parseDeliveryMessage,
  queueUrlFromArn,
  readRedriveMaxReceiveCount,
} from './deliveries-queue.ts';

/**
 * The delivery worker's batch logic (SQS event → partial batch response). Records are processed
 * concurrently; each ends in one of three ways:
 *  - ack: not reported, so the event source deletes it;
 *  - retry_later: its visibility is set to the retry delay and it is reported as a batch item failure,
 *    so it comes back when the next attempt is due;
 *  - dead_letter (poison): visibility 0 and reported, so it is received again at once until the
 *    queue's redrive policy moves it to the DLQ.
 *
 * Poison rule: an unparseable body or an unknown export/event id is poison at once. A message whose
 * export/event exists but whose processing keeps throwing (e.g. a secret that no longer decrypts) is
 * retried with backoff; once its ApproximateReceiveCount reaches the redrive limit minus one, the
 * delivery is marked failed (`processing_error`) and the message is dead-lettered.
 */
export interface DeliveryWorkerDeps extends DeliveryDeps {
  sqs: SQSClient;
}

export async function handleDeliveryBatch(
  event: SQSEvent,
  deps: DeliveryWorkerDeps,
): Promise<SQSBatchResponse> {
  const messages = event.Records.map((record) => parseDeliveryMessage(record.body));
  // One read for the whole batch, beside the leases: every message's payload, target and account.
  const reader = batchAttemptInputsReader(
    deps.db,
    messages.flatMap((m) => (m ? [attemptReads(m)] : [])),
  );
  // And one transaction for the batch's outcomes, once every message has sent or finished without.
  const members = attemptOutcomeBatch(deps.db, messages.filter(Boolean).length);
  let next = 0;
  const results = await Promise.all(
    event.Records.map((record, i) => {
      const message = messages[i];
      const member = message ? members[next++] : undefined;
      return withLogKeys({ message_id: record.messageId }, () =>
        handleRecord(record, message, { ...deps, reader }, member),
      ).finally(() => member?.leave()); // whatever happened, the batch's outcomes do not wait for it
    }),
  );
  return {
    batchItemFailures: event.Records.filter((_, i) => results[i]!.action !== 'ack').map((r) => ({
      itemIdentifier: r.messageId,
    })),
  };
}

async function handleRecord(
  record: SQSRecord,
  message: DeliveryMessage | undefined,
  deps: DeliveryWorkerDeps,
  member: OutcomeBatchMember | undefined,
): Promise<MessageDecision> {
  const queueUrl = deps.config.deliveriesQueueUrl ?? queueUrlFromArn(record.eventSourceARN);
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
  let decision: MessageDecision;
  if (!message) {
    decision = { action: 'dead_letter', reason: 'unparseable_message' };
  } else {
    try {
      decision = await processDelivery({ ...deps, outcomes: member?.writer }, message, {
        messageId: record.messageId,
        receiveCount,
      });
    } catch (err) {
      member?.leave(); // the batch's outcome transaction need not wait for the poison rule's writes
      decision = await onProcessingError(deps, queueUrl, message, receiveCount, err);
    } finally {
      member?.leave();
    }
  }
  if (decision.action !== 'ack') {
    logger.info('delivery message kept', {
      message_id: record.messageId,
      action: decision.action,
      reason: decision.reason,
      ...(decision.action === 'retry_later' ? { delay_seconds: decision.delaySeconds } : {}),
      receive_count: receiveCount,
    });
    const seconds = decision.action === 'retry_later' ? decision.delaySeconds : 0;
    try {
      await changeMessageVisibility(deps.sqs, queueUrl, record.receiptHandle, seconds);
    } catch (err) {
      // The message still comes back, after the queue's own visibility timeout.
      logger.error('could not change message visibility', { error_name: (err as Error).name });
    }
  }
  return decision;
}

async function onProcessingError(
  deps: DeliveryWorkerDeps,
  queueUrl: string,
  message: DeliveryMessage,
  receiveCount: number,
  err: unknown,
): Promise<MessageDecision> {
  const { kind, id } = messageTarget(message);
  logger.error('delivery processing failed', {
    kind: kind.type,
    id,
    receive_count: receiveCount,
    error_name: (err as Error)?.name,
    error_message: (err as Error)?.message,
  });
  const limit = await readRedriveMaxReceiveCount(deps.sqs, queueUrl).catch(() => undefined);
  if (limit !== undefined && receiveCount >= limit - 1) {
    try {
      await markProcessingFailed(deps.db, kind.ref(id), new Date((deps.now ?? Date.now)()).toISOString());
    } catch (markErr) {
      logger.error('could not mark the delivery failed', { id, error_name: (markErr as Error).name });
    }
    return { action: 'dead_letter', reason: 'processing_error' };
  }
  return {
    action: 'retry_later',
    delaySeconds: backoffDelaySeconds(receiveCount, deps.config.delivery),
    reason: 'processing_error',
  };
}
