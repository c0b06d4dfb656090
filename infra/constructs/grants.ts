import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Grant } from '../../lib/http/routes.ts';
import type { AppFunction } from './app-function.ts';
import { ARTIFACTS_REPORTS_PREFIX, ARTIFACTS_TEMP_PREFIX } from './artifacts.ts';

/** The resources a function can be granted access to. */
export interface GrantTargets {
  table: dynamodb.ITable;
  deliveriesQueue: sqs.IQueue;
  artifactsBucket: s3.IBucket;
  scannerSecret: secretsmanager.ISecret;
  targetSecretsKey: secretsmanager.ISecret;
}

/**
 * Turns a route's or worker's declared grants (lib/http/routes.ts) into the narrowest IAM grants.
 * `bucket:delete` is `s3:DeleteObject` (and the matching `s3:ListBucket`) on the temporary prefix
 * only: the one deletion the system does is the clean-up of a failed scan run's temporary files, so
 * no function can delete a stored screenshot or snapshot, or a version of one.
 */
export function applyGrants(f: AppFunction, grants: readonly Grant[], t: GrantTargets): void {
  const fn = f.fn;
  for (const grant of new Set(grants)) {
    switch (grant) {
      case 'table:read': {
        t.table.grantReadData(fn);
        const table = Stack.of(t.table).getLogicalId(t.table.node.defaultChild as CfnElement);
        Validations.of(f).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${table}.Arn>/index/*]`,
          reason: 'Reads query the table and its indexes; index/* names only its two (gsi1, gsi2).',
        });
        break;
      }
      case 'table:write':
        t.table.grantWriteData(fn);
        break;
      case 'queue:send':
        t.deliveriesQueue.grantSendMessages(fn);
        break;
      case 'queue:consume':
        // ReceiveMessage, DeleteMessage, ChangeMessageVisibility (retries reschedule with it), …
        t.deliveriesQueue.grantConsumeMessages(fn);
        break;
      case 'bucket:delete': {
        iam.Grant.addToPrincipal({
          grantee: fn,
          actions: ['s3:DeleteObject'],
          resourceArns: [t.artifactsBucket.arnForObjects(`${ARTIFACTS_TEMP_PREFIX}*`)],
        });
        iam.Grant.addToPrincipal({
          grantee: fn,
          actions: ['s3:ListBucket'],
          resourceArns: [t.artifactsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${ARTIFACTS_TEMP_PREFIX}*`] } },
        });
        const bucket = Stack.of(t.artifactsBucket).getLogicalId(
          t.artifactsBucket.node.defaultChild as CfnElement,
        );
        Validations.of(f).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${ARTIFACTS_TEMP_PREFIX}*]`,
          reason:
            "Temporary scan files have run-specific keys under tmp/; the wildcard is that prefix, never the bucket's stored artifacts.",
        });
        break;
      }
      case 'bucket:write-reports':
        // The dispatcher stores scan reports (lib/dispatch/reactions/scan-run-report.ts) under reports/.
        iam.Grant.addToPrincipal({
          grantee: fn,
          actions: ['s3:PutObject'],
          resourceArns: [t.artifactsBucket.arnForObjects(`${ARTIFACTS_REPORTS_PREFIX}*`)],
        });
        acknowledgeReportsWildcard(f, t);
        break;
      case 'bucket:read-reports':
        // The report route signs GET URLs with its role (lib/artifacts/presign.ts): reading reports/ only.
        iam.Grant.addToPrincipal({
          grantee: fn,
          actions: ['s3:GetObject'],
          resourceArns: [t.artifactsBucket.arnForObjects(`${ARTIFACTS_REPORTS_PREFIX}*`)],
        });
        acknowledgeReportsWildcard(f, t);
        break;
      case 'secret:scanner':
        t.scannerSecret.grantRead(fn);
        break;
      case 'secret:target-keys':
        t.targetSecretsKey.grantRead(fn);
        break;
      default: {
        const unknown: never = grant;
        throw new Error(`No IAM mapping for grant ${String(unknown)}`);
      }
    }
  }
}

/** Reports have run-specific keys under reports/; the wildcard is that prefix (cdk-nag IAM5). */
function acknowledgeReportsWildcard(f: AppFunction, t: GrantTargets): void {
  const bucket = Stack.of(t.artifactsBucket).getLogicalId(t.artifactsBucket.node.defaultChild as CfnElement);
  Validations.of(f).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${ARTIFACTS_REPORTS_PREFIX}*]`,
    reason:
      "Scan reports have run-specific keys under reports/; the wildcard is that prefix, never the bucket's other artifacts.",
  });
}

/**
 * The environment a function needs for its grants (lib/config.ts names). Every function gets the
 * table name (the configuration requires it); ARNs and URLs only where the grant uses them. Secret
 * values never go into the environment, only the ARN the function reads them with.
 */
export function grantEnvironment(grants: readonly Grant[], t: GrantTargets): Record<string, string> {
  const env: Record<string, string> = { WRO_TABLE_NAME: t.table.tableName };
  if (grants.includes('queue:send') || grants.includes('queue:consume')) {
    env.WRO_DELIVERIES_QUEUE_URL = t.deliveriesQueue.queueUrl;
  }
  if (grants.some((g) => g.startsWith('bucket:'))) env.WRO_ARTIFACTS_BUCKET = t.artifactsBucket.bucketName;
  if (grants.includes('secret:scanner')) env.WRO_SCANNER_SECRET_ARN = t.scannerSecret.secretArn;
  if (grants.includes('secret:target-keys')) env.WRO_TARGET_SECRETS_KEY_ARN = t.targetSecretsKey.secretArn;
  return env;
}
