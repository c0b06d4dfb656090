import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SECRETS_EXTENSION } from '../../infra/constructs/app-function.ts';
import {
  ARTIFACTS_TEMP_PREFIX,
  NONCURRENT_VERSIONS_EXPIRE_DAYS,
  TEMP_FILES_EXPIRE_DAYS,
} from '../../infra/constructs/artifacts.ts';
import {
  DISPATCHER_BATCH_SIZE,
  DISPATCHER_MAX_RECORD_AGE,
  DISPATCHER_RETRY_ATTEMPTS,
} from '../../infra/constructs/event-sources.ts';
import { routeSize, WORKER_SIZES } from '../../infra/function-sizing.ts';
import { DELIVERY_SCHEDULE, DEPLOYMENT_PROFILES, worstCaseBackoffSeconds } from '../../infra/settings.ts';
import type { WebRiskOpsStack } from '../../infra/stack.ts';
import { SECRET_CACHE_MS } from '../../lib/aws/secrets-manager.ts';
import { createTableInput, TABLE } from '../../lib/db/table-definition.ts';
import { CORS_POLICY } from '../../lib/http/cors.ts';
import { FALLBACK, ROUTES, type RouteDef, routeKey, WORKERS } from '../../lib/http/routes.ts';
import {
  DELIVERY_FUNCTION_TIMEOUT_SECONDS,
  QUEUES,
  redriveMaxReceiveCount,
} from '../../lib/queue/definitions.ts';
import {
  type CfnTemplate,
  type FunctionInfo,
  functionsByName,
  referencedIds,
  resourcesOfType,
  synthTestStack,
} from './synth.ts';

let stack: WebRiskOpsStack;
let t: CfnTemplate;
let fns: Map<string, FunctionInfo>;
const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
const fn = (name: string) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
};
const cloud = DEPLOYMENT_PROFILES.cloud;
/** What CDK's paramsAndSecrets option sets on a function (the extension reads them). */
const SECRETS_EXTENSION_VARIABLES = [
  'PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED',
  'PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE',
  'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  'PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL',
  'PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS',
  'SECRETS_MANAGER_TIMEOUT_MILLIS',
  'SECRETS_MANAGER_TTL',
  'SSM_PARAMETER_STORE_TIMEOUT_MILLIS',
  'SSM_PARAMETER_STORE_TTL',
];
const ALL_FUNCTIONS = [
  ...ROUTES.map((r) => r.name as string),
  FALLBACK.name,
  WORKERS.delivery.name,
  WORKERS.dispatcher.name,
];

beforeAll(() => {
  const s = synthTestStack();
  stack = s.stack;
  t = s.json;
  fns = functionsByName(t);
});

describe('functions', () => {
  it('has exactly one function per route and worker, each with an existing handler module', () => {
    expect([...fns.keys()].sort()).toEqual([...ALL_FUNCTIONS].sort());
    for (const def of [...ROUTES, FALLBACK, WORKERS.delivery, WORKERS.dispatcher]) {
      expect(existsSync(join(REPO_ROOT, def.entry)), `${def.entry} must exist for cdk synth`).toBe(true);
    }
  });

  it('runs nodejs22.x on arm64 without the source-map flag, with a Powertools service name and a deliberate size', () => {
    for (const name of ALL_FUNCTIONS) {
      const p = fn(name).resource.Properties!;
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(fn(name).env.NODE_OPTIONS).toBeUndefined(); // maps are decoded offline (docs/deploy.md)
      expect(fn(name).env.POWERTOOLS_SERVICE_NAME).toBe(name);
      const size =
        name === WORKERS.delivery.name
          ? WORKER_SIZES['delivery-worker']
          : name === WORKERS.dispatcher.name
            ? WORKER_SIZES.dispatcher
            : routeSize(name);
      expect(p.MemorySize).toBe(size.memorySize);
      expect(p.Timeout).toBe(size.timeout.toSeconds());
    }
    expect(fn('delivery-worker').resource.Properties!.Timeout).toBe(DELIVERY_FUNCTION_TIMEOUT_SECONDS);
  });

  it('logs each function into its own log group with the profile retention', () => {
    const logGroups = new Set<string>();
    for (const name of ALL_FUNCTIONS) {
      const lg = fn(name).resource.Properties!.LoggingConfig.LogGroup.Ref as string;
      expect(t.Resources[lg]!.Type).toBe('AWS::Logs::LogGroup');
      expect(t.Resources[lg]!.Properties!.RetentionInDays).toBe(cloud.logRetention);
      logGroups.add(lg);
    }
    expect(logGroups.size).toBe(ALL_FUNCTIONS.length);
  });
});

describe('environment', () => {
  const tableRef = () => ({ Ref: id(stack.data.table) });

  it('gives every function the table name and the stage', () => {
    for (const name of ALL_FUNCTIONS) {
      expect(fn(name).env.WRO_TABLE_NAME).toEqual(tableRef());
      expect(fn(name).env.WRO_STAGE).toBe('test');
    }
  });

  it('gives ARNs, URLs and the delivery schedule only to the functions that use them', () => {
    const expectedKeys = (name: string): string[] => {
      const def = [...ROUTES, FALLBACK, WORKERS.delivery, WORKERS.dispatcher].find((d) =>
        'name' in d ? d.name === name : false,
      )!;
      const g = def.grants as readonly string[];
      const keys = ['WRO_TABLE_NAME', 'WRO_STAGE', 'POWERTOOLS_SERVICE_NAME'];
      if (g.includes('queue:send') || g.includes('queue:consume')) keys.push('WRO_DELIVERIES_QUEUE_URL');
      if (g.some((x) => x.startsWith('bucket:'))) keys.push('WRO_ARTIFACTS_BUCKET');
      if (g.includes('secret:scanner')) keys.push('WRO_SCANNER_SECRET_ARN');
      if (g.includes('secret:target-keys')) keys.push('WRO_TARGET_SECRETS_KEY_ARN');
      if (g.some((x) => x.startsWith('secret:'))) keys.push(...SECRETS_EXTENSION_VARIABLES);
      if (name.startsWith('exports.') || name === 'delivery-worker' || name === 'dispatcher') {
        keys.push(
          'WRO_DELIVERY_BASE_DELAY_SECONDS',
          'WRO_DELIVERY_MAX_DELAY_SECONDS',
          'WRO_DELIVERY_MAX_ATTEMPTS',
          'WRO_DELIVERY_TIMEOUT_MS',
          'WRO_DELIVERY_LEASE_SECONDS',
          'WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS',
        );
      }
      return keys.sort();
    };
    for (const name of ALL_FUNCTIONS) {
      expect(Object.keys(fn(name).env).sort(), name).toEqual(expectedKeys(name));
    }
    expect(fn('openapi').env).toEqual({
      WRO_TABLE_NAME: tableRef(),
      WRO_STAGE: 'test',
      POWERTOOLS_SERVICE_NAME: 'openapi',
    });
  });

  it('gives the functions that read a secret the secrets extension (arm64 layer, 4-minute cache), and no other function a layer', () => {
    for (const name of ALL_FUNCTIONS) {
      const p = fn(name).resource.Properties!;
      const def = [...ROUTES, FALLBACK, WORKERS.delivery, WORKERS.dispatcher].find((d) => d.name === name)!;
      const reads = (def.grants as readonly string[]).some((g) => g.startsWith('secret:'));
      if (!reads) {
        expect(p.Layers, name).toBeUndefined();
        continue;
      }
      expect(p.Layers, name).toHaveLength(1);
      expect(JSON.stringify(p.Layers), name).toMatch(/paramsandsecrets.*arm64/i);
      expect(fn(name).env.SECRETS_MANAGER_TTL, name).toBe(String(SECRETS_EXTENSION.secretsManagerTtlSeconds));
      expect(SECRETS_EXTENSION.secretsManagerTtlSeconds * 1000 + SECRET_CACHE_MS).toBeLessThanOrEqual(
        300_000,
      );
    }
    expect(ALL_FUNCTIONS.filter((n) => fn(n).resource.Properties!.Layers).sort()).toEqual([
      'delivery-worker',
      'scanner.results.store',
      'targets.callback',
      'targets.create',
      'targets.rotate-secret',
    ]);
  });

  it('points the secret variables at the secrets by ARN (the values are never in the template)', () => {
    expect(fn('scanner.results.store').env.WRO_SCANNER_SECRET_ARN).toEqual({
      Ref: id(stack.secrets.scannerSecret),
    });
    for (const name of ['targets.create', 'targets.rotate-secret', 'targets.callback', 'delivery-worker']) {
      expect(fn(name).env.WRO_TARGET_SECRETS_KEY_ARN).toEqual({ Ref: id(stack.secrets.targetSecretsKey) });
    }
    for (const name of ALL_FUNCTIONS) {
      expect(fn(name).env).not.toHaveProperty('WRO_SCANNER_SHARED_SECRET');
      expect(fn(name).env).not.toHaveProperty('WRO_TARGET_SECRETS_KEY');
    }
    for (const [, secret] of resourcesOfType(t, 'AWS::SecretsManager::Secret')) {
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect(secret.Properties!.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    }
  });

  it('sets the delivery schedule to the values the code defaults to', () => {
    expect(fn('delivery-worker').env).toMatchObject({
      WRO_DELIVERY_BASE_DELAY_SECONDS: String(DELIVERY_SCHEDULE.baseDelaySeconds),
      WRO_DELIVERY_MAX_DELAY_SECONDS: String(DELIVERY_SCHEDULE.maxDelaySeconds),
      WRO_DELIVERY_MAX_ATTEMPTS: String(DELIVERY_SCHEDULE.maxAttempts),
      WRO_DELIVERY_TIMEOUT_MS: String(DELIVERY_SCHEDULE.timeoutMs),
      WRO_DELIVERY_LEASE_SECONDS: String(DELIVERY_SCHEDULE.leaseSeconds),
    });
  });

  it('never sets the private-targets development switch anywhere in the template', () => {
    expect(JSON.stringify(t)).not.toContain('WRO_ALLOW_PRIVATE_TARGETS');
    expect(JSON.stringify(t)).not.toContain('ALLOW_PRIVATE');
  });
});

describe('API', () => {
  it('has one route per route-table entry (GET ones also for HEAD) and $default, each integrated with its function', () => {
    const routes = resourcesOfType(t, 'AWS::ApiGatewayV2::Route');
    const keyed = (ROUTES as readonly RouteDef[]).flatMap((r): { r: RouteDef; key: string }[] =>
      r.method === 'GET'
        ? [
            { r, key: routeKey(r) },
            { r, key: `HEAD ${r.path}` },
          ]
        : [{ r, key: routeKey(r) }],
    );
    expect(routes).toHaveLength(keyed.length + 1);
    const fallback = routes.find(([, res]) => res.Properties!.RouteKey === '$default');
    expect(fallback, '$default').toBeDefined();
    const fallbackIntegration = t.Resources[referencedIds(fallback![1].Properties!.Target)[0]!]!;
    expect(referencedIds(fallbackIntegration.Properties!.IntegrationUri)).toEqual([
      fn(FALLBACK.name).logicalId,
    ]);
    for (const { r, key } of keyed) {
      const found = routes.find(([, res]) => res.Properties!.RouteKey === key);
      expect(found, key).toBeDefined();
      expect(found![1].Properties!.AuthorizationType ?? 'NONE').toBe('NONE');
      const integrationId = referencedIds(found![1].Properties!.Target)[0]!;
      const integration = t.Resources[integrationId]!;
      expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      expect(referencedIds(integration.Properties!.IntegrationUri)).toEqual([fn(r.name).logicalId]);
    }
  });

  it('has a $default stage with throttling and JSON access logs without headers or bodies, and no CORS', () => {
    const [[, api]] = resourcesOfType(t, 'AWS::ApiGatewayV2::Api') as [[string, any]];
    expect(api.Properties.ProtocolType).toBe('HTTP');
    expect(api.Properties).not.toHaveProperty('CorsConfiguration');
    const stages = resourcesOfType(t, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties!;
    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: cloud.apiRateLimit,
        ThrottlingBurstLimit: cloud.apiBurstLimit,
      },
    });
    const logGroup = referencedIds(stage.AccessLogSettings.DestinationArn)[0]!;
    expect(t.Resources[logGroup]!.Properties!.RetentionInDays).toBe(cloud.logRetention);
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(stage.AccessLogSettings.Format).not.toMatch(/header|authorization|body|querystring/i);
  });

  it('lets API Gateway invoke each route function only from this API', () => {
    const permissions = resourcesOfType(t, 'AWS::Lambda::Permission');
    const gets = ROUTES.filter((r) => r.method === 'GET').length;
    expect(permissions).toHaveLength(ROUTES.length + gets + 1);
    for (const [, p] of permissions) {
      expect(p.Properties!.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(p.Properties!.SourceArn)).toContain(id(stack.api.httpApi));
    }
  });
});

describe('CORS', () => {
  it('allows the configured origins only, with the shared policy (headers, exposed headers, max age)', () => {
    const { json } = synthTestStack({ corsOrigins: ['https://app.example.com'] });
    const [[, api]] = resourcesOfType(json, 'AWS::ApiGatewayV2::Api') as [[string, any]];
    expect(api.Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['https://app.example.com'],
      AllowHeaders: [...CORS_POLICY.allowHeaders],
      ExposeHeaders: [...CORS_POLICY.exposeHeaders],
      AllowMethods: ['*'],
      MaxAge: CORS_POLICY.maxAgeSeconds,
    });
  });
});

describe('data', () => {
  it('builds the table from TABLE: on demand, PITR, TTL, stream, GSI, deletion protection, retained', () => {
    const tables = resourcesOfType(t, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const local = createTableInput('x');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      DeletionProtectionEnabled: true,
      KeySchema: local.KeySchema,
    });
    // Same shape as the local stack's table (infra/local/provision.ts).
    const byName = (a: { AttributeName: string }, b: { AttributeName: string }) =>
      a.AttributeName.localeCompare(b.AttributeName);
    expect([...table.Properties!.AttributeDefinitions].sort(byName)).toEqual(
      [...local.AttributeDefinitions].sort(byName),
    );
    expect(table.Properties!.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });
});

describe('delivery queues and event sources', () => {
  it('redrives deliveries to the DLQ above the application attempt limit, with a long enough visibility timeout', () => {
    const q = t.Resources[id(stack.queues.deliveries)]!.Properties!;
    const maxReceiveCount = redriveMaxReceiveCount(DELIVERY_SCHEDULE.maxAttempts, 'aws');
    expect(maxReceiveCount).toBeGreaterThan(DELIVERY_SCHEDULE.maxAttempts);
    expect(q.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [id(stack.queues.deliveriesDlq), 'Arn'] },
      maxReceiveCount,
    });
    expect(q.VisibilityTimeout).toBe(QUEUES.deliveries.visibilityTimeoutSeconds);
    expect(q.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * fn('delivery-worker').resource.Properties!.Timeout,
    );
    expect(q.MessageRetentionPeriod).toBe(QUEUES.deliveries.retentionSeconds);
  });

  it('encrypts every queue and denies every non-TLS request to it', () => {
    const queues = resourcesOfType(t, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(3);
    for (const [queueId, queue] of queues) {
      expect(queue.Properties!.SqsManagedSseEnabled).toBe(true);
      const policies = resourcesOfType(t, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
        referencedIds(p.Properties!.Queues).includes(queueId),
      );
      expect(policies).toHaveLength(1);
      expect(policies[0]![1].Properties!.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('feeds the delivery worker from the deliveries queue with partial batch failures and a concurrency cap', () => {
    const mappings = resourcesOfType(t, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    const sqsMapping = mappings.find(
      ([, m]) => referencedIds(m.Properties!.FunctionName)[0] === fn('delivery-worker').logicalId,
    );
    expect(sqsMapping![1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [id(stack.queues.deliveries), 'Arn'] },
      BatchSize: QUEUES.deliveries.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: cloud.deliveryMaxConcurrency },
    });
  });

  it('feeds the dispatcher from the table stream from TRIM_HORIZON, with bisection, bounded retries and a failure queue', () => {
    const mapping = resourcesOfType(t, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => referencedIds(m.Properties!.FunctionName)[0] === fn('dispatcher').logicalId,
    );
    expect(mapping![1].Properties).toEqual(
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [id(stack.data.table), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: DISPATCHER_BATCH_SIZE,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: DISPATCHER_RETRY_ATTEMPTS,
        MaximumRecordAgeInSeconds: DISPATCHER_MAX_RECORD_AGE.toSeconds(),
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [id(stack.queues.dispatcherFailures), 'Arn'] } },
        },
      }),
    );
  });
});

describe('artifacts bucket', () => {
  it('blocks public access, encrypts, retains, versions, logs access and expires the temporary prefix', () => {
    const bucket = t.Resources[id(stack.artifacts.bucket)]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: id(stack.artifacts.accessLogsBucket) } },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const rules = bucket.Properties!.LifecycleConfiguration.Rules as any[];
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: ARTIFACTS_TEMP_PREFIX,
        ExpirationInDays: TEMP_FILES_EXPIRE_DAYS,
        Status: 'Enabled',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSIONS_EXPIRE_DAYS },
        Status: 'Enabled',
      }),
    );
    // The dispatcher's clean-up prefix (tmp/scan-runs/{id}/) is inside the expiring prefix.
    expect('tmp/scan-runs/123/'.startsWith(ARTIFACTS_TEMP_PREFIX)).toBe(true);
  });

  it('denies non-TLS and pre-TLS-1.2 requests on both buckets', () => {
    for (const bucket of [stack.artifacts.bucket, stack.artifacts.accessLogsBucket]) {
      const bucketId = id(bucket);
      expect(t.Resources[bucketId]!.Properties!.PublicAccessBlockConfiguration).toMatchObject({
        BlockPublicPolicy: true,
      });
      const policy = resourcesOfType(t, 'AWS::S3::BucketPolicy').find(
        ([, p]) => p.Properties!.Bucket.Ref === bucketId,
      );
      const statements = policy![1].Properties!.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
      // No statement opens the bucket to everyone.
      for (const s of statements) if (s.Effect === 'Allow') expect(s.Principal).not.toEqual({ AWS: '*' });
    }
  });
});

describe('secrets', () => {
  it('generates both secrets and retains the key that encrypts stored target secrets', () => {
    const scanner = t.Resources[id(stack.secrets.scannerSecret)]!;
    const key = t.Resources[id(stack.secrets.targetSecretsKey)]!;
    expect(scanner.Properties!.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    expect(key.Properties!.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(key.DeletionPolicy).toBe('Retain');
  });
});

describe('operations', () => {
  const alarms = () => resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const topicRef = () => ({ Ref: id(stack.alarms.topic) });

  it('alarms when either dead-letter queue holds a message', () => {
    for (const q of [stack.queues.deliveriesDlq, stack.queues.dispatcherFailures]) {
      const alarm = alarms().find(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions).includes(id(q)),
      );
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicRef()],
      });
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const name of ALL_FUNCTIONS) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms().find(
          (a) =>
            a.MetricName === metric &&
            a.Namespace === 'AWS/Lambda' &&
            referencedIds(a.Dimensions).includes(fn(name).logicalId),
        );
        expect(alarm, `${metric} alarm of ${name}`).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicRef()],
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('alarms when the oldest delivery is older than the whole retry schedule allows', () => {
    const alarm = alarms().find((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(worstCaseBackoffSeconds()).toBeGreaterThan(DELIVERY_SCHEDULE.baseDelaySeconds);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: worstCaseBackoffSeconds() + QUEUES.deliveries.visibilityTimeoutSeconds,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef()],
    });
    expect(JSON.stringify(alarm!.Dimensions)).toContain(id(stack.queues.deliveries));
  });

  it('outputs the API URL and the names and ARNs an operator needs', () => {
    expect(Object.keys(t.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'TableName',
        'DeliveriesQueueUrl',
        'DeliveriesDlqUrl',
        'DispatcherFailuresQueueUrl',
        'ArtifactsBucketName',
        'ScannerSecretArn',
        'TargetSecretsKeySecretArn',
        'AlarmTopicArn',
        'Stage',
        'DeploymentMode',
      ]),
    );
    expect(t.Outputs!.TableName!.Value).toEqual({ Ref: id(stack.data.table) });
    expect(JSON.stringify(t.Outputs!.ApiUrl!.Value)).toContain(id(stack.api.httpApi));
  });
});

describe('deployment modes', () => {
  it('sizes the webhook-only mode from its profile and subscribes the alarm e-mail', () => {
    const { template } = synthTestStack({ deploymentMode: 'webhook-only', alarmEmail: 'ops@example.com' });
    const p = DEPLOYMENT_PROFILES['webhook-only'];
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: p.apiRateLimit, ThrottlingBurstLimit: p.apiBurstLimit },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: p.deliveryMaxConcurrency },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: p.logRetention });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasOutput('DeploymentMode', { Value: 'webhook-only' });
    template.resourceCountIs('AWS::Lambda::Function', ALL_FUNCTIONS.length);
    template.resourceCountIs(
      'AWS::ApiGatewayV2::Route',
      ROUTES.length + ROUTES.filter((r) => r.method === 'GET').length + 1,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'deployment-mode', Value: 'webhook-only' }]),
    });
  });
});
