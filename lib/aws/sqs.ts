import { SQSClient } from '@aws-sdk/client-sqs';

/** The SQS client of the functions that send or requeue deliveries (endpoint: AWS_ENDPOINT_URL_SQS). */
export function sqsClient(): SQSClient {
  return new SQSClient({});
}
