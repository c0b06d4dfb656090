import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Config, getConfig } from './config.ts';
import { createDocumentClient, type Db } from './db/client.ts';

/**
 * The process's AWS clients and configuration, built once on first use (Lambda reuses them across
 * invocations; local endpoints come from AWS_ENDPOINT_URL_* variables the SDK reads itself).
 * Handlers take what they need from here and pass it to lib/ adapters as arguments.
 */
export interface Runtime {
  config: Config;
  db: Db;
  sqs: SQSClient;
  s3: S3Client;
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  if (!current) {
    const config = getConfig();
    current = {
      config,
      db: { doc: createDocumentClient(new DynamoDBClient({})), table: config.tableName },
      sqs: new SQSClient({}),
      s3: new S3Client({ forcePathStyle: true }),
    };
  }
  return current;
}
