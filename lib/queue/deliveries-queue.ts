import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isId } from '../ids.ts';
import type { DeliveryMessage, DeliveryReadHints } from './definitions.ts';

/** SQS adapter for the deliveries queue. The client is passed in (tests use aws-sdk-client-mock). */

export async function sendDeliveryMessage(
  sqs: SQSClient,
  queueUrl: string,
  message: DeliveryMessage,
): Promise<string | undefined> {
  const res = await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }),
  );
  return res.MessageId;
}

/** Makes a received message visible again after `seconds` (0 = now; SQS allows at most 12 h). */
export async function changeMessageVisibility(
  sqs: SQSClient,
  queueUrl: string,
  receiptHandle: string,
  seconds: number,
): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
    }),
  );
}

/** A message body the worker can act on, or undefined for a poison message. */
export function parseDeliveryMessage(body: string): DeliveryMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  // Hints that are not well-formed ids are left out: the worker then reads the target after the lease.
  const hints: DeliveryReadHints = {
    ...(isId('target', v.target_id) ? { target_id: v.target_id } : {}),
    ...(isId('account', v.account_id) ? { account_id: v.account_id } : {}),
  };
  if (v.type === 'ticket_export' && isId('export', v.export_id)) {
    return { type: 'ticket_export', export_id: v.export_id, ...hints };
  }
  if (v.type === 'event' && isId('event', v.event_id)) {
    return { type: 'event', event_id: v.event_id, ...hints };
  }
  return undefined;
}

/** The read hints of a delivery message, from the delivery's stored state. */
export function readHints(state: { target_id?: unknown; account_id?: unknown }): DeliveryReadHints {
  return {
    ...(typeof state.target_id === 'string' ? { target_id: state.target_id } : {}),
    ...(typeof state.account_id === 'string' ? { account_id: state.account_id } : {}),
  };
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue URL (used when WRO_DELIVERIES_QUEUE_URL is unset). */
export function queueUrlFromArn(arn: string): string {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sqs') throw new Error('Not an SQS queue ARN.');
  const [, partition, , region, account, name] = parts as [string, string, string, string, string, string];
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

const redriveLimits = new Map<string, Promise<number | undefined>>();

/** The queue's redrive maxReceiveCount (cached per queue for the process), undefined without a DLQ. */
export function readRedriveMaxReceiveCount(sqs: SQSClient, queueUrl: string): Promise<number | undefined> {
  let limit = redriveLimits.get(queueUrl);
  if (!limit) {
    limit = sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }))
      .then((res) => {
        const policy = res.Attributes?.RedrivePolicy;
        const count = policy
          ? Number((JSON.parse(policy) as { maxReceiveCount?: unknown }).maxReceiveCount)
          : NaN;
        return Number.isInteger(count) && count > 0 ? count : undefined;
      });
    limit.catch(() => redriveLimits.delete(queueUrl));
    redriveLimits.set(queueUrl, limit);
  }
  return limit;
}
