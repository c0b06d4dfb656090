import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { startSqsLocal } from '../../infra/local/sqs-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory) and one local SQS server for the whole run, on free loopback ports.
 * Each test file makes its own table and queues (unique names), so files never share state.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const sqs = await startSqsLocal({ port: await freePort() });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await sqs.stop();
    await dynamo.stop();
  };
}
