import { S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 client of the functions that touch artifact storage (endpoint: AWS_ENDPOINT_URL_S3). Path
 * style, so local S3-compatible endpoints work without bucket subdomains.
 */
export function s3Client(): S3Client {
  return new S3Client({ forcePathStyle: true });
}
