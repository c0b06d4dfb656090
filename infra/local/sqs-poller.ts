import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface Poller {
  stop(): Promise<void>;
}

/**
 * The local stand-in for Lambda's SQS event source mapping: receives up to `batchSize` messages,
 * invokes the handler, deletes the messages that succeeded and leaves the reported failures (and every
 * message of a batch whose handler threw) to reappear when their visibility timeout — possibly changed
 * by the handler — runs out.
 */
export function startSqsPoller(opts: {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  batchSize?: number;
  onError?: (err: unknown) => void;
}): Poller {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const res = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: opts.batchSize ?? 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            // local-aws-sqs returns ApproximateReceiveCount only for the older AttributeNames parameter.
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = res.Messages ?? [];
        if (messages.length === 0) continue;
        const records: SQSRecord[] = messages.map((m) => ({
          messageId: m.MessageId as string,
          receiptHandle: m.ReceiptHandle as string,
          body: m.Body ?? '',
          attributes: m.Attributes as unknown as SQSRecord['attributes'],
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: opts.queueArn,
          awsRegion: 'us-east-1',
        }));
        let failed: Set<string>;
        try {
          const out = await opts.handler({ Records: records });
          failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (err) {
          opts.onError?.(err);
          failed = new Set(records.map((r) => r.messageId));
        }
        const done = records.filter((r) => !failed.has(r.messageId));
        if (done.length) {
          await opts.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: opts.queueUrl,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          );
        }
      } catch (err) {
        if (stopped) break;
        opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
