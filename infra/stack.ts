import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE } from '../lib/db/table-definition.ts';
import { FALLBACK, ROUTES, type RouteDef, WORKERS } from '../lib/http/routes.ts';
import { QUEUES } from '../lib/queue/definitions.ts';
import { Alarms } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { AppFunction, constructId, type FunctionCode } from './constructs/app-function.ts';
import { Artifacts } from './constructs/artifacts.ts';
import { Data } from './constructs/data.ts';
import { wireDeliveryWorker, wireDispatcher } from './constructs/event-sources.ts';
import { applyGrants, type GrantTargets, grantEnvironment } from './constructs/grants.ts';
import { Queues } from './constructs/queues.ts';
import { Secrets } from './constructs/secrets.ts';
import {
  API_FUNCTION,
  HTTP_API_INTEGRATION_TIMEOUT_SECONDS,
  IDEMPOTENCY_LOCK_SECONDS,
  routeSize,
  WORKER_SIZES,
} from './function-sizing.ts';
import {
  type ConcurrencySettings,
  DELIVERY_SCHEDULE,
  DEPLOYMENT_PROFILES,
  type DeploymentMode,
  parseConcurrencySettings,
  worstCaseBackoffSeconds,
} from './settings.ts';

export interface WebRiskOpsStackProps extends StackProps {
  stage: string;
  deploymentMode: DeploymentMode;
  /** `bundle` for synth and deploy; `stub` only for template tests (see infra/constructs/app-function.ts). */
  functionCode?: FunctionCode;
  /** Optional e-mail address subscribed to the alarm topic. */
  alarmEmail?: string;
  /** Browser origins allowed by CORS (context `corsOrigins`, comma-separated); none by default. */
  corsOrigins?: string[];
  /** Reserved concurrency (contexts in infra/settings.ts); the deployment mode's defaults when absent. */
  concurrency?: ConcurrencySettings;
  /** An index left out of this deploy (context `withoutIndex`, an upgrade step: docs/deploy.md). */
  withoutIndex?: string;
}

/** The route whose reserved concurrency caps concurrent scanner postbacks. */
export const SCANNER_ROUTE = 'scanner.results.store';

/** Environment of the functions that use the delivery schedule: the workers and the export routes. */
function deliveryScheduleEnvironment(): Record<string, string> {
  return {
    WRO_DELIVERY_BASE_DELAY_SECONDS: String(DELIVERY_SCHEDULE.baseDelaySeconds),
    WRO_DELIVERY_MAX_DELAY_SECONDS: String(DELIVERY_SCHEDULE.maxDelaySeconds),
    WRO_DELIVERY_MAX_ATTEMPTS: String(DELIVERY_SCHEDULE.maxAttempts),
    WRO_DELIVERY_TIMEOUT_MS: String(DELIVERY_SCHEDULE.timeoutMs),
    WRO_DELIVERY_LEASE_SECONDS: String(DELIVERY_SCHEDULE.leaseSeconds),
    WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS: String(DELIVERY_SCHEDULE.disableAfterFailingSeconds),
  };
}

/**
 * The whole system on AWS, built from the same definitions as the local stack: one Lambda and
 * API Gateway route per entry of ROUTES, the two WORKERS on their event sources, the table from TABLE,
 * the queues from QUEUES. Each function gets exactly the grants its entry declares and the environment
 * those grants need; the private-targets development switch is never set.
 */
export class WebRiskOpsStack extends Stack {
  /** Every function by route or worker name. */
  readonly functions = new Map<string, AppFunction>();
  readonly data: Data;
  readonly queues: Queues;
  readonly artifacts: Artifacts;
  readonly secrets: Secrets;
  readonly api: Api;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: WebRiskOpsStackProps) {
    super(scope, id, props);
    const profile = DEPLOYMENT_PROFILES[props.deploymentMode];
    const concurrency = props.concurrency ?? parseConcurrencySettings({}, props.deploymentMode);
    if (!ROUTES.some((r) => r.name === SCANNER_ROUTE)) throw new Error(`no route ${SCANNER_ROUTE} to cap`);
    const code = props.functionCode ?? 'bundle';
    Tags.of(this).add('app', 'webriskops');
    Tags.of(this).add('stage', props.stage);
    Tags.of(this).add('deployment-mode', props.deploymentMode);

    assertDeliveryTimings({
      functionTimeoutSeconds: WORKER_SIZES['delivery-worker'].timeout.toSeconds(),
      visibilityTimeoutSeconds: QUEUES.deliveries.visibilityTimeoutSeconds,
      sendTimeoutMs: DELIVERY_SCHEDULE.timeoutMs,
      leaseSeconds: DELIVERY_SCHEDULE.leaseSeconds,
    });

    this.data = new Data(this, 'Data', { withoutIndex: props.withoutIndex });
    this.queues = new Queues(this, 'Queues', { maxAttempts: DELIVERY_SCHEDULE.maxAttempts });
    this.artifacts = new Artifacts(this, 'Artifacts');
    this.secrets = new Secrets(this, 'Secrets');
    const targets: GrantTargets = {
      table: this.data.table,
      deliveriesQueue: this.queues.deliveries,
      artifactsBucket: this.artifacts.bucket,
      scannerSecret: this.secrets.scannerSecret,
      targetSecretsKey: this.secrets.targetSecretsKey,
    };

    const makeFunction = (
      name: string,
      def: { entry: string; grants: RouteDef['grants'] },
      opts: {
        description: string;
        size: { memorySize: number; timeout: Duration };
        schedule: boolean;
        reservedConcurrency?: number;
      },
    ) => {
      const f = new AppFunction(this, constructId(name), {
        name,
        entry: def.entry,
        description: opts.description,
        memorySize: opts.size.memorySize,
        timeout: opts.size.timeout,
        reservedConcurrentExecutions: opts.reservedConcurrency,
        logRetention: profile.logRetention,
        code,
        readsSecrets: def.grants.some((g) => g.startsWith('secret:')),
        environment: {
          ...grantEnvironment(def.grants, targets),
          WRO_STAGE: props.stage,
          ...(opts.schedule ? deliveryScheduleEnvironment() : {}),
        },
      });
      applyGrants(f, def.grants, targets);
      this.functions.set(name, f);
      return f;
    };

    const routeFunctions = ROUTES.map((route) => {
      const size = routeSize(route.name);
      const timeout = size.timeout.toSeconds();
      if (timeout >= HTTP_API_INTEGRATION_TIMEOUT_SECONDS || timeout >= IDEMPOTENCY_LOCK_SECONDS) {
        throw new Error(
          `${route.name}: timeout ${timeout}s must stay under API Gateway's ${HTTP_API_INTEGRATION_TIMEOUT_SECONDS}s and the idempotency lock (${IDEMPOTENCY_LOCK_SECONDS}s)`,
        );
      }
      const f = makeFunction(route.name, route, {
        description: `${route.method} ${route.path}: ${route.summary}`,
        size,
        schedule: route.name.startsWith('exports.'),
        reservedConcurrency: route.name === SCANNER_ROUTE ? concurrency.scannerRoute : undefined,
      });
      return { route: route as RouteDef, fn: f.fn };
    });

    const fallback = makeFunction(FALLBACK.name, FALLBACK, {
      description: 'What no route takes: 405 with Allow, or 404',
      size: API_FUNCTION,
      schedule: false,
    });
    this.api = new Api(this, 'Api', {
      stage: props.stage,
      routes: routeFunctions,
      fallback: fallback.fn,
      corsOrigins: props.corsOrigins ?? [],
      rateLimit: profile.apiRateLimit,
      burstLimit: profile.apiBurstLimit,
      logRetention: profile.logRetention,
    });

    const delivery = makeFunction(WORKERS.delivery.name, WORKERS.delivery, {
      description: 'Deliveries queue → signed webhooks (ticket exports and events)',
      size: WORKER_SIZES['delivery-worker'],
      schedule: true,
      reservedConcurrency: concurrency.deliveryWorker,
    });
    wireDeliveryWorker(
      delivery,
      this.queues.deliveries,
      profile.deliveryMaxConcurrency,
      concurrency.deliveryWorker,
    );

    const dispatcher = makeFunction(WORKERS.dispatcher.name, WORKERS.dispatcher, {
      description: 'Table stream → side effects of committed changes',
      size: WORKER_SIZES.dispatcher,
      schedule: true,
      reservedConcurrency: concurrency.dispatcher,
    });
    wireDispatcher(dispatcher, this.data.table, this.queues.dispatcherFailures);

    this.alarms = new Alarms(this, 'Alarms', {
      functions: [...this.functions].map(([name, f]) => ({ name, fn: f.fn })),
      deadLetterQueues: [
        { name: QUEUES.deliveries.dlqName, queue: this.queues.deliveriesDlq },
        { name: 'dispatcher-failures', queue: this.queues.dispatcherFailures },
      ],
      deliveries: this.queues.deliveries,
      oldestMessageThreshold: Duration.seconds(
        worstCaseBackoffSeconds() + QUEUES.deliveries.visibilityTimeoutSeconds,
      ),
      email: props.alarmEmail,
      dispatcher: dispatcher.fn,
      httpApi: this.api.httpApi,
      table: this.data.table,
      indexNames: [TABLE.gsi1.indexName, TABLE.gsi2.indexName].filter((n) => n !== props.withoutIndex),
    });

    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out('Stage', props.stage, 'Stage name');
    out('DeploymentMode', props.deploymentMode, 'Deployment mode (capacity and retention profile)');
    out('ApiUrl', this.api.url, 'Base URL of the API (append /api/…)');
    out('HttpApiId', this.api.httpApi.apiId, 'HTTP API id');
    out('TableName', this.data.table.tableName, 'DynamoDB table: WRO_TABLE_NAME for npm run admin');
    out('TableArn', this.data.table.tableArn, 'DynamoDB table ARN');
    out('DeliveriesQueueUrl', this.queues.deliveries.queueUrl, 'Deliveries queue URL');
    out('DeliveriesQueueArn', this.queues.deliveries.queueArn, 'Deliveries queue ARN');
    out('DeliveriesDlqUrl', this.queues.deliveriesDlq.queueUrl, 'Deliveries dead-letter queue URL');
    out('DispatcherFailuresQueueUrl', this.queues.dispatcherFailures.queueUrl, 'Failed stream batches');
    out('ArtifactsBucketName', this.artifacts.bucket.bucketName, 'Artifacts bucket');
    out('AccessLogsBucketName', this.artifacts.accessLogsBucket.bucketName, 'S3 server access logs bucket');
    out('ScannerSecretArn', this.secrets.scannerSecret.secretArn, 'Scanner shared secret (Secrets Manager)');
    out('TargetSecretsKeySecretArn', this.secrets.targetSecretsKey.secretArn, 'Target signing-secret key');
    out('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic of every alarm');
  }
}

/**
 * The delivery timings must nest: the HTTP send (WRO_DELIVERY_TIMEOUT_MS) fits in the function
 * timeout, the lease outlasts the function, and the visibility timeout is at least six function
 * timeouts (AWS guidance for SQS event sources) and longer than the lease. Synth fails otherwise.
 */
export function assertDeliveryTimings(t: {
  functionTimeoutSeconds: number;
  visibilityTimeoutSeconds: number;
  sendTimeoutMs: number;
  leaseSeconds: number;
}): void {
  const problems: string[] = [];
  if (t.visibilityTimeoutSeconds < 6 * t.functionTimeoutSeconds)
    problems.push(
      `visibility timeout ${t.visibilityTimeoutSeconds}s < 6 × function timeout ${t.functionTimeoutSeconds}s`,
    );
  if (t.sendTimeoutMs >= t.functionTimeoutSeconds * 1000)
    problems.push(`send timeout ${t.sendTimeoutMs}ms ≥ function timeout ${t.functionTimeoutSeconds}s`);
  if (t.leaseSeconds <= t.functionTimeoutSeconds)
    problems.push(`lease ${t.leaseSeconds}s ≤ function timeout ${t.functionTimeoutSeconds}s`);
  if (t.leaseSeconds >= t.visibilityTimeoutSeconds)
    problems.push(`lease ${t.leaseSeconds}s ≥ visibility timeout ${t.visibilityTimeoutSeconds}s`);
  if (problems.length) throw new Error(`Delivery timings do not nest: ${problems.join('; ')}`);
}
