import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_POLICY } from '../../lib/http/cors.ts';
import type { RouteDef } from '../../lib/http/routes.ts';
import { constructId } from './app-function.ts';

export interface ApiProps {
  stage: string;
  /** Each route with the function that serves it. */
  routes: ReadonlyArray<{ route: RouteDef; fn: lambda.IFunction }>;
  /** Serves API Gateway's `$default` route: 405 with Allow, or 404 (functions/fallback.ts). */
  fallback: lambda.IFunction;
  /** Browser origins allowed by CORS; none → no CORS at all. */
  corsOrigins: string[];
  rateLimit: number;
  burstLimit: number;
  logRetention: logs.RetentionDays;
}

/**
 * Access log line: request identity, route, status and latencies. Never headers, query strings or
 * bodies (tokens, signatures and the scanner secret travel there).
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
});

/**
 * The HTTP API: one route and Lambda proxy integration (payload format 2.0, the event the handlers
 * and the local server use) per route-table entry, a `$default` stage with throttling in front of the
 * application's own per-token rate limit, and JSON access logs. GET routes answer HEAD too; what no
 * route takes goes to the fallback function (`$default`: 405 with Allow, or 404). CORS only for the
 * configured origins (context `corsOrigins`), with the policy of lib/http/cors.ts; none by default.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `webriskops-${props.stage}`,
      description: `WebRiskOps API (${props.stage})`,
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', props.fallback, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
      ...(props.corsOrigins.length
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowHeaders: [...CORS_POLICY.allowHeaders],
              exposeHeaders: [...CORS_POLICY.exposeHeaders],
              allowMethods: [apigw.CorsHttpMethod.ANY],
              maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
            },
          }
        : {}),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    for (const { route, fn } of props.routes) {
      this.httpApi.addRoutes({
        path: route.path,
        methods:
          route.method === 'GET'
            ? [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD]
            : [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${constructId(route.name)}Integration`, fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        }),
      });
    }
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Each handler authenticates in code from the route table (API tokens and the scanner secret live in DynamoDB and Secrets Manager, with per-token rate limits); only the OpenAPI document is public.',
    });
  }

  /** The invoke URL of the `$default` stage (no stage segment in the path). */
  get url(): string {
    return this.stage.url;
  }
}
