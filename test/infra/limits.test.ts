import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CfnElement } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  API_5XX_THRESHOLD,
  IN_FLIGHT_THRESHOLD,
  ITERATOR_AGE_THRESHOLD,
  SQS_STANDARD_IN_FLIGHT_LIMIT,
} from '../../infra/constructs/alarms.ts';
import { DISPATCHER_MAX_RECORD_AGE } from '../../infra/constructs/event-sources.ts';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEPLOYMENT_PROFILES,
  LAMBDA_MIN_UNRESERVED_CONCURRENCY,
  parseConcurrencySettings,
} from '../../infra/settings.ts';
import { SCANNER_ROUTE, type WebRiskOpsStack } from '../../infra/stack.ts';
import { createTableInput, TABLE } from '../../lib/db/table-definition.ts';
import { listTargets } from '../../lib/db/targets-store.ts';
import { REACTIONS } from '../../lib/dispatch/reactions.ts';
import { streamFilterPatterns } from '../../lib/dispatch/stream-filter.ts';
import { WORKERS } from '../../lib/http/routes.ts';
import {
  type CfnTemplate,
  type FunctionInfo,
  functionsByName,
  resourcesOfType,
  synthTestStack,
} from './synth.ts';

/**
 * Issue 10, item 8 (AWS's limits and failure modes): the alarm topic accepts CloudWatch's alarms,
 * the workers and the scanner route have reserved concurrency, the dispatcher only receives the
 * records its reactions act on, the operational limits have alarms, and gsi1 projects keys only.
 */
let stack: WebRiskOpsStack;
let t: CfnTemplate;
let fns: Map<string, FunctionInfo>;
const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
const fn = (name: string) => fns.get(name)!;
const cloud = DEPLOYMENT_PROFILES.cloud;

beforeAll(() => {
  const s = synthTestStack();
  stack = s.stack;
  t = s.json;
  fns = functionsByName(t);
});

const alarms = () => resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
const mappingOf = (json: CfnTemplate, functionLogicalId: string) =>
  resourcesOfType(json, 'AWS::Lambda::EventSourceMapping').find(([, m]) =>
    JSON.stringify(m.Properties!.FunctionName).includes(functionLogicalId),
  )![1].Properties!;

describe('alarm topic policy', () => {
  it('lets CloudWatch alarms of this account and region publish, and still refuses non-TLS requests', () => {
    const topic = id(stack.alarms.topic);
    const policies = resourcesOfType(t, 'AWS::SNS::TopicPolicy').filter(([, p]) =>
      JSON.stringify(p.Properties!.Topics).includes(topic),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties!.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Nothing else is allowed, to anyone.
    expect(statements.filter((s) => s.Effect === 'Allow')).toHaveLength(1);
  });
});

describe('reserved concurrency', () => {
  const reserved = (name: string) => fn(name).resource.Properties!.ReservedConcurrentExecutions;

  it('reserves executions for both workers and caps the scanner route, with the mode’s defaults', () => {
    expect(reserved(WORKERS.delivery.name)).toBe(cloud.deliveryMaxConcurrency);
    expect(reserved(WORKERS.dispatcher.name)).toBe(cloud.dispatcherReservedConcurrency);
    expect(reserved(SCANNER_ROUTE)).toBe(cloud.scannerReservedConcurrency);
    const others = [...fns.keys()].filter(
      (n) => ![WORKERS.delivery.name, WORKERS.dispatcher.name, SCANNER_ROUTE].includes(n),
    );
    for (const name of others) expect(reserved(name), name).toBeUndefined();
    const total = [WORKERS.delivery.name, WORKERS.dispatcher.name, SCANNER_ROUTE]
      .map(reserved)
      .reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(DEFAULT_ACCOUNT_CONCURRENCY - LAMBDA_MIN_UNRESERVED_CONCURRENCY);
  });

  it('keeps the deliveries event source’s maximum concurrency within the worker’s reservation', () => {
    for (const mode of ['cloud', 'self-hosted', 'webhook-only'] as const) {
      const { json } = mode === 'cloud' ? { json: t } : synthTestStack({ deploymentMode: mode });
      const worker = functionsByName(json).get(WORKERS.delivery.name)!;
      const max = mappingOf(json, worker.logicalId).ScalingConfig.MaximumConcurrency;
      expect(max, mode).toBe(DEPLOYMENT_PROFILES[mode].deliveryMaxConcurrency);
      expect(max, mode).toBeLessThanOrEqual(worker.resource.Properties!.ReservedConcurrentExecutions);
    }
  });

  it('takes the context settings, and none leaves a function unreserved', () => {
    const concurrency = parseConcurrencySettings(
      {
        deliveryReservedConcurrency: '30',
        dispatcherReservedConcurrency: 4,
        scannerReservedConcurrency: 'none',
      },
      'cloud',
    );
    const byName = functionsByName(synthTestStack({ concurrency }).json);
    const r = (n: string) => byName.get(n)!.resource.Properties!.ReservedConcurrentExecutions;
    expect([r(WORKERS.delivery.name), r(WORKERS.dispatcher.name), r(SCANNER_ROUTE)]).toEqual([
      30,
      4,
      undefined,
    ]);
  });
});

describe('dispatcher event-source filter', () => {
  it('filters the table stream with the patterns built from the reactions’ selectors', () => {
    const mapping = mappingOf(t, fn(WORKERS.dispatcher.name).logicalId);
    expect(JSON.stringify(mapping.EventSourceArn)).toContain('StreamArn');
    const patterns = streamFilterPatterns(REACTIONS);
    expect(patterns.length).toBeGreaterThan(0);
    expect(mapping.FilterCriteria).toEqual({
      Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })),
    });
    // Every reaction's item type and status is in some pattern.
    for (const { on } of REACTIONS) {
      expect(
        patterns.some(
          (p) =>
            JSON.stringify(p).includes(`"${on.sk}"`) && JSON.stringify(p).includes(`"${on.statusChangedTo}"`),
        ),
        on.sk,
      ).toBe(true);
    }
  });

  it('leaves the deliveries queue unfiltered', () => {
    expect(mappingOf(t, fn(WORKERS.delivery.name).logicalId).FilterCriteria).toBeUndefined();
  });
});

describe('operational alarms', () => {
  const topicRef = () => ({ Ref: id(stack.alarms.topic) });

  it('alarms on the dispatcher’s stream iterator age', () => {
    const alarm = alarms().find((a) => a.MetricName === 'IteratorAge');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef()],
      TreatMissingData: 'notBreaching',
    });
    expect(JSON.stringify(alarm!.Dimensions)).toContain(fn(WORKERS.dispatcher.name).logicalId);
    // Far below the age at which records give up and go to the failure queue.
    expect(ITERATOR_AGE_THRESHOLD.toSeconds()).toBeLessThan(DISPATCHER_MAX_RECORD_AGE.toSeconds() / 10);
  });

  it('alarms on the HTTP API’s 5xx answers', () => {
    const alarm = alarms().find((a) => a.MetricName === '5xx');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Statistic: 'Sum',
      Threshold: API_5XX_THRESHOLD,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef()],
      Dimensions: [{ Name: 'ApiId', Value: { Ref: id(stack.api.httpApi) } }],
    });
  });

  it('alarms on throttled reads and writes of the table and of each index', () => {
    const tableRef = { Ref: id(stack.data.table) };
    const throttleAlarms = alarms().filter((a) =>
      (a.Metrics ?? []).some((m: any) => m.MetricStat?.Metric.MetricName === 'WriteThrottleEvents'),
    );
    const dims = (a: any) =>
      a.Metrics.find((m: any) => m.MetricStat?.Metric.MetricName === 'ReadThrottleEvents').MetricStat.Metric
        .Dimensions;
    const expected = [
      [{ Name: 'TableName', Value: tableRef }],
      ...[TABLE.gsi1, TABLE.gsi2].map((i) => [
        { Name: 'GlobalSecondaryIndexName', Value: i.indexName },
        { Name: 'TableName', Value: tableRef },
      ]),
    ];
    expect(throttleAlarms.map(dims)).toEqual(expect.arrayContaining(expected));
    expect(throttleAlarms).toHaveLength(expected.length);
    for (const a of throttleAlarms) {
      expect(a).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topicRef()],
      });
      expect(a.Metrics.find((m: any) => m.Expression)?.Expression).toBe('reads + writes');
    }
  });

  it('alarms well below SQS’s in-flight limit of the deliveries queue', () => {
    const alarm = alarms().find((a) => a.MetricName === 'ApproximateNumberOfMessagesNotVisible');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: IN_FLIGHT_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef()],
    });
    expect(JSON.stringify(alarm!.Dimensions)).toContain(id(stack.queues.deliveries));
    expect(IN_FLIGHT_THRESHOLD).toBeLessThanOrEqual(SQS_STANDARD_IN_FLIGHT_LIMIT / 2);
  });
});

describe('index projection', () => {
  const indexes = (json: CfnTemplate) =>
    resourcesOfType(json, 'AWS::DynamoDB::Table')[0]![1].Properties!.GlobalSecondaryIndexes as any[];

  it('projects keys only into gsi1 (its one reader reads the items from the table), on AWS and locally', () => {
    const byName = Object.fromEntries(indexes(t).map((i) => [i.IndexName, i.Projection]));
    expect(byName).toEqual({
      [TABLE.gsi1.indexName]: { ProjectionType: 'KEYS_ONLY' },
      [TABLE.gsi2.indexName]: { ProjectionType: 'ALL' },
    });
    expect(createTableInput('x').GlobalSecondaryIndexes).toEqual(indexes(t));
  });

  it('can leave one index out of a deploy (the first step of re-creating it), with its alarm', () => {
    const { json } = synthTestStack({ withoutIndex: TABLE.gsi1.indexName });
    expect(indexes(json).map((i) => i.IndexName)).toEqual([TABLE.gsi2.indexName]);
    const table = resourcesOfType(json, 'AWS::DynamoDB::Table')[0]![1].Properties!;
    expect(table.AttributeDefinitions.map((a: any) => a.AttributeName)).not.toContain(
      TABLE.gsi1.partitionKey,
    );
    expect(JSON.stringify(resourcesOfType(json, 'AWS::CloudWatch::Alarm'))).not.toContain(
      `"${TABLE.gsi1.indexName}"`,
    );
  });

  it('lists targets from the keys the index holds, reading the items from the table in index order', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const ddb = mockClient(doc);
    const key = (n: number) => ({
      pk: `TARGET#tgt_${n}`,
      sk: 'TARGET',
      gsi1pk: 'ACCOUNT#acc_1#TARGETS',
      gsi1sk: `2026-01-0${n}#tgt_${n}`,
    });
    const item = (n: number) => ({ pk: `TARGET#tgt_${n}`, sk: 'TARGET', id: `tgt_${n}`, name: `T${n}` });
    ddb.on(QueryCommand).resolves({ Items: [key(1), key(2), key(3)], LastEvaluatedKey: key(3) });
    // BatchGetItem answers in any order and may leave a key (not yet readable) out.
    ddb.on(BatchGetCommand).resolves({ Responses: { t: [item(3), item(1)] } });
    const page = await listTargets({ doc, table: 't' }, 'acc_1', { limit: 3 });
    expect(page).toMatchObject({ kind: 'page', items: [{ id: 'tgt_1' }, { id: 'tgt_3' }] });
    expect(page.kind === 'page' && page.nextCursor).toBeTruthy();
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.IndexName).toBe(TABLE.gsi1.indexName);
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.t!.Keys).toEqual(
      [1, 2, 3].map((n) => ({ pk: `TARGET#tgt_${n}`, sk: 'TARGET' })),
    );
  });
});
