import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Temporary scan files live under `tmp/scan-runs/{id}/` (lib/domain/scan-runs.ts). */
export const ARTIFACTS_TEMP_PREFIX = 'tmp/';
/** Scan reports live under `reports/scan-runs/{id}/` (lib/domain/scan-report.ts, REPORT_PREFIX). */
export const ARTIFACTS_REPORTS_PREFIX = 'reports/';
export const TEMP_FILES_EXPIRE_DAYS = 7;
export const NONCURRENT_VERSIONS_EXPIRE_DAYS = 30;
export const ACCESS_LOGS_EXPIRE_DAYS = 365;

const locked = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/**
 * The artifacts bucket (screenshots, HTML snapshots, temporary scan files) and the bucket that
 * receives its server access logs. Both: public access blocked, S3-managed encryption (the only one
 * access-log delivery supports), TLS 1.2+ only, ACLs disabled, retained on stack deletion.
 *
 * Versioning is on for artifacts: an overwritten or deleted screenshot can be restored for
 * 30 days. The temporary prefix expires after 7 days (a failed run's files are deleted earlier by the
 * dispatcher), and its old versions a day later, so versioning does not keep temporary files alive.
 */
export class Artifacts extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...locked,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(ACCESS_LOGS_EXPIRE_DAYS) }],
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...locked,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [
        {
          id: 'expire-temporary-scan-files',
          prefix: ARTIFACTS_TEMP_PREFIX,
          expiration: Duration.days(TEMP_FILES_EXPIRE_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSIONS_EXPIRE_DAYS),
          expiredObjectDeleteMarker: true,
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
