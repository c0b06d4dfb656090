import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../../../lib/config.ts';
import type { DispatchRuntime, ItemChange } from '../../../../lib/dispatch/reaction.ts';

/** What the reaction tests share: a runtime on mocked SQS and DynamoDB clients, and stream changes. */
const sqs = new SQSClient({ region: 'us-east-1' });
export const sqsMock = mockClient(sqs);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
export const ddbMock = mockClient(doc);
export const QUEUE = 'https://sqs.us-east-1.amazonaws.com/1/deliveries';
export const rt = {
  config: parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_DELIVERIES_QUEUE_URL: QUEUE }),
  db: { doc, table: 'tbl' },
  sqs,
} as unknown as DispatchRuntime;

export const change = (
  sk: string,
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown>,
) => ({ eventName: oldImage ? 'MODIFY' : 'INSERT', keys: { pk: 'X', sk }, oldImage, newImage }) as ItemChange;

/** For each test's beforeEach: fresh mocks, and SendMessage answering. */
export function resetMocks(): void {
  sqsMock.reset();
  ddbMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
}
