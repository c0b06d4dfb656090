import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  /** The stream consumer whose iterator age is watched. */
  dispatcher: lambda.IFunction;
  /** The HTTP API whose 5xx answers are watched. */
  httpApi: apigw.IHttpApi;
  /** The table, and the names of its global secondary indexes, whose throttled requests are watched. */
  table: dynamodb.ITable;
  indexNames: readonly string[];
}

/**
 * The dispatcher's stream iterator age above which it is lagging or stuck on a failing record: far
 * below the 12 h after which records go to the failure queue (DISPATCHER_MAX_RECORD_AGE).
 */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(10);
/** 5xx answers of the HTTP API in 5 minutes (the application's own 500s, throttled or failed invocations, timeouts). */
export const API_5XX_THRESHOLD = 5;
/** SQS's limit of in-flight messages of a standard queue (received and not deleted, or delayed by ChangeMessageVisibility). */
export const SQS_STANDARD_IN_FLIGHT_LIMIT = 120_000;
/**
 * In-flight deliveries (being sent, or waiting out a retry delay) that raise the alarm: a quarter of
 * the limit, hours of headroom before ReceiveMessage starts failing with OverLimit.
 */
export const IN_FLIGHT_THRESHOLD = SQS_STANDARD_IN_FLIGHT_LIMIT / 4;

/**
 * Alarms, all sent to one SNS topic (subscribe e-mail, chat or paging to it):
 * - each dead-letter queue holds a message (depth > 0);
 * - each function reports an error or a throttle in a 5-minute period;
 * - the oldest message in the deliveries queue is older than the whole retry schedule allows;
 * - the dispatcher's stream iterator age exceeds ITERATOR_AGE_THRESHOLD;
 * - the HTTP API answers API_5XX_THRESHOLD or more 5xx in 5 minutes;
 * - the table or one of its indexes throttles a read or a write;
 * - the deliveries queue has more than IN_FLIGHT_THRESHOLD messages in flight.
 * The topic policy lets CloudWatch alarms of this account and region publish (and refuses non-TLS
 * publishing): a topic policy replaces SNS's default one, which is what allowed it before.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'WebRiskOps alarms', enforceSSL: true });
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
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

    add('DeliveriesInFlight', {
      alarmDescription: `deliveries: more than ${IN_FLIGHT_THRESHOLD} messages in flight (SQS stops handing out messages at ${SQS_STANDARD_IN_FLIGHT_LIMIT}); many deliveries are waiting out retry delays`,
      metric: props.deliveries.metricApproximateNumberOfMessagesNotVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: IN_FLIGHT_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    add('DispatcherIteratorAge', {
      alarmDescription: `dispatcher: stream records wait more than ${ITERATOR_AGE_THRESHOLD.toMinutes()} minutes (a failing record holds its shard, or the dispatcher is throttled)`,
      metric: props.dispatcher.metric('IteratorAge', {
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    add('Api5xx', {
      alarmDescription: `API: ${API_5XX_THRESHOLD} or more 5xx answers in 5 minutes`,
      metric: props.httpApi.metricServerError({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: API_5XX_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // DynamoDB reports the throttle events of each global secondary index apart from the table's.
    const throttled = (dimensions: Record<string, string>) => {
      const metric = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/DynamoDB',
          metricName,
          dimensionsMap: dimensions,
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.SUM,
        });
      return new cloudwatch.MathExpression({
        expression: 'reads + writes',
        usingMetrics: { reads: metric('ReadThrottleEvents'), writes: metric('WriteThrottleEvents') },
        label: 'Throttled reads and writes',
        period: Duration.minutes(5),
      });
    };
    add('TableThrottles', {
      alarmDescription: 'table: DynamoDB throttled reads or writes',
      metric: throttled({ TableName: props.table.tableName }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    for (const indexName of props.indexNames) {
      add(`${constructId(indexName)}Throttles`, {
        alarmDescription: `table index ${indexName}: DynamoDB throttled reads or writes (index write throttling also throttles the table's writes)`,
        metric: throttled({ TableName: props.table.tableName, GlobalSecondaryIndexName: indexName }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }
}
