import { join, resolve } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLING, esbuildAliasArgs } from '../bundling.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * How function code gets into the template. `bundle` (what `cdk synth` / `cdk deploy` use) runs
 * esbuild through NodejsFunction. `stub` puts a one-line inline handler in its place and changes
 * nothing else, so the infrastructure tests can synthesize the whole stack without running esbuild
 * twenty times; it is never deployed (the inline handler throws).
 */
export type FunctionCode = 'bundle' | 'stub';

export const STUB_HANDLER_CODE =
  "exports.handler = async () => { throw new Error('template-test stub: synthesized without bundling'); };";

export interface AppFunctionProps {
  /** Route or worker name; the Powertools service name of the function's logs. */
  name: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  code: FunctionCode;
  /**
   * The function reads Secrets Manager secrets: it gets the AWS Parameters and Secrets Lambda
   * Extension, which lib/aws/secrets-manager.ts reads them through (the role still needs the grant).
   */
  readsSecrets?: boolean;
  /**
   * Reserved concurrency: executions kept for this function and its cap (infra/settings.ts,
   * ConcurrencySettings); none by default.
   */
  reservedConcurrentExecutions?: number;
}

/**
 * The extension's settings: Secrets Manager values cached 4 minutes by the extension, 1 more by the
 * function (SECRET_CACHE_MS), so a rotation is in use within 5; warnings only in the logs.
 */
export const SECRETS_EXTENSION = {
  version: lambda.ParamsAndSecretsVersions.V1_0_103,
  secretsManagerTtlSeconds: 240,
} as const;

/**
 * One Lambda function of the system: Node.js 22 on arm64, bundled as described in infra/bundling.ts,
 * with its own log group (retention set) and its own role. The role starts with nothing but writing
 * to that log group (no AWSLambdaBasicExecutionRole); the stack adds each grant the function's route
 * or worker declares.
 */
export class AppFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}`,
    });
    this.logGroup.grantWrite(this.role);

    const common = {
      description: props.description,
      ...(props.readsSecrets
        ? {
            paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION.version, {
              secretsManagerTtl: Duration.seconds(SECRETS_EXTENSION.secretsManagerTtlSeconds),
              logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.name,
      },
    };
    this.fn =
      props.code === 'bundle'
        ? new NodejsFunction(this, 'Function', {
            ...common,
            entry: join(REPO_ROOT, props.entry),
            handler: 'handler',
            projectRoot: REPO_ROOT,
            depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
            bundling: {
              target: BUNDLING.target,
              format: OutputFormat.ESM,
              minify: BUNDLING.minify,
              sourceMap: BUNDLING.sourceMap,
              sourcesContent: BUNDLING.sourcesContent,
              mainFields: [...BUNDLING.mainFields],
              banner: BUNDLING.banner,
              externalModules: [...BUNDLING.externalModules],
              esbuildArgs: esbuildAliasArgs(),
            },
          })
        : new lambda.Function(this, 'Function', {
            ...common,
            handler: 'index.handler',
            code: lambda.Code.fromInline(STUB_HANDLER_CODE),
          });
    // Depend on the role's whole subtree (its policy included, grants are added to it later), so the
    // permissions exist before an event source can invoke the function.
    this.fn.node.addDependency(this.role);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The architecture fixes nodejs22.x, the Node.js major the test suite runs on; a newer runtime would run untested code.',
    });
  }
}

/** `projects.create` → `ProjectsCreate`: construct ids from route and worker names. */
export function constructId(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
