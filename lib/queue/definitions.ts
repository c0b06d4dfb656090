/**
 * The SQS queues, described once for the CDK stack and the local stack.
 *
 * Retries are the delivery worker's own (attempt count in DynamoDB, delay set with
 * ChangeMessageVisibility). The DLQ only catches poison messages, so its redrive limit sits above the
 * application's attempt limit. local-aws-sqs counts each ChangeMessageVisibility as a receive
 * (docs/ticket-exports.md, "Outcomes and retries"), so the local limit is higher still.
 */
export const DELIVERY_FUNCTION_TIMEOUT_SECONDS = 30;

export const QUEUES = {
  deliveries: {
    name: 'deliveries',
    dlqName: 'deliveries-dlq',
    /** ≥ 6 × the delivery function timeout (AWS guidance for Lambda event sources). */
    visibilityTimeoutSeconds: 6 * DELIVERY_FUNCTION_TIMEOUT_SECONDS,
    retentionSeconds: 14 * 24 * 3600,
    batchSize: 10,
  },
} as const;

/**
 * Receives before SQS dead-letters a message: on AWS three per attempt (the attempt, plus a message
 * that comes back early and one that waits out a paused target without spending an attempt), plus 5;
 * locally four, as local-aws-sqs also counts each visibility change.
 */
export function redriveMaxReceiveCount(maxAttempts: number, target: 'aws' | 'local'): number {
  return target === 'aws' ? maxAttempts * 3 + 5 : maxAttempts * 4 + 5;
}

/**
 * Message bodies on the deliveries queue. The target and account ids let the worker read them in
 * parallel with its lease (docs/ticket-exports.md, "What one attempt costs"); the leased state decides
 * which target is used, so a stale or missing id only costs a second read.
 */
export type DeliveryMessage = (
  | { type: 'ticket_export'; export_id: string }
  | { type: 'event'; event_id: string }
) &
  DeliveryReadHints;

export interface DeliveryReadHints {
  target_id?: string;
  account_id?: string;
}
