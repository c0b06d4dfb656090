import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { constructId } from './app-function.ts';

export interface AlarmsProps {
  functions: ReadonlyArray<{ name: string; fn: lambda.IFunction }>;
  /** Queues whose depth must stay 0 (dead letters, failed stream batches). */
  deadLetterQueues: ReadonlyArray<{ name: string; queue: sqs.IQueue }>;
  deliveries: sqs.IQueue;
  /** Oldest-message age above which deliveries are considered stuck. */
  oldestMessageThreshold: Duration;
  /** Optional e-mail address subscribed to the alarm topic. */
  email?: string;
}

/**
 * Alarms, all sent to one SNS topic (subscribe e-mail, chat or paging to it):
 * - each dead-letter queue holds a message (depth > 0);
 * - each function reports an error or a throttle in a 5-minute period;
 * - the oldest message in the deliveries queue is older than the whole retry schedule allows.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'WebRiskOps alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const action = new SnsAction(this.topic);
    const add = (alarmId: string, alarm: Omit<cloudwatch.AlarmProps, 'treatMissingData'>) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        ...alarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
    };

    for (const { name, queue } of props.deadLetterQueues) {
      add(`${constructId(name)}Depth`, {
        alarmDescription: `${name}: a message is waiting in this dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    for (const { name, fn } of props.functions) {
      const period = Duration.minutes(5);
      add(`${constructId(name)}Errors`, {
        alarmDescription: `${name}: the function failed (unhandled error or timeout)`,
        metric: fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      add(`${constructId(name)}Throttles`, {
        alarmDescription: `${name}: invocations were throttled`,
        metric: fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    add('DeliveriesOldestMessage', {
      alarmDescription:
        'deliveries: the oldest message is older than the retry schedule allows (consumer stopped, or a receiver keeps asking to wait)',
      metric: props.deliveries.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: props.oldestMessageThreshold.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
  }
}
