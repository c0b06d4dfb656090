import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, redriveMaxReceiveCount } from '../../lib/queue/definitions.ts';

export interface QueuesProps {
  /** The application's own delivery attempt limit (WRO_DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
}

const secureQueue = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  retentionPeriod: Duration.seconds(QUEUES.deliveries.retentionSeconds),
} as const;

/**
 * The deliveries queue and its DLQ (from lib/queue/definitions.ts), plus the queue that receives
 * stream records the dispatcher could not process (its on-failure destination). All three are
 * encrypted (SQS-managed SSE) and refuse non-TLS requests. Retention is SQS's maximum, 14 days, also
 * on the DLQ: a standard queue's message expires by its original enqueue time, so a DLQ with a shorter
 * retention could drop a message the moment it arrives.
 */
export class Queues extends Construct {
  readonly deliveries: sqs.Queue;
  readonly deliveriesDlq: sqs.Queue;
  readonly dispatcherFailures: sqs.Queue;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const q = QUEUES.deliveries;
    // Retries are the worker's own (attempt count in DynamoDB, delays with ChangeMessageVisibility);
    // the DLQ only takes messages that fail beyond that, so its limit sits above the attempt limit.
    this.maxReceiveCount = redriveMaxReceiveCount(props.maxAttempts, 'aws');
    if (this.maxReceiveCount <= props.maxAttempts) {
      throw new Error(
        `deliveries redrive maxReceiveCount ${this.maxReceiveCount} must exceed the attempt limit ${props.maxAttempts}`,
      );
    }
    this.deliveriesDlq = new sqs.Queue(this, 'DeliveriesDlq', secureQueue);
    this.deliveries = new sqs.Queue(this, 'Deliveries', {
      ...secureQueue,
      visibilityTimeout: Duration.seconds(q.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deliveriesDlq, maxReceiveCount: this.maxReceiveCount },
    });
    this.dispatcherFailures = new sqs.Queue(this, 'DispatcherFailures', secureQueue);
    // cdk-nag recognises the deliveries DLQ as a redrive target; the dispatcher's failure queue is an
    // event source mapping's on-failure destination, which it cannot see.
    Validations.of(this.dispatcherFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter destination (the dispatcher event source mapping sends failed stream batches here), watched by a depth alarm; it needs no DLQ of its own.',
    });
  }
}
