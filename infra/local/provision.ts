import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createTableInput, TABLE } from '../../lib/db/table-definition.ts';
import { QUEUES, redriveMaxReceiveCount } from '../../lib/queue/definitions.ts';

/**
 * Creates the table from the shared definition if it does not exist yet, and adds the indexes a
 * table kept from an earlier release lacks (a local data directory outlives upgrades); returns its
 * stream ARN.
 */
export async function ensureTable(ddb: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  try {
    await ddb.send(new CreateTableCommand(createTableInput(tableName)));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 60 }, { TableName: tableName });
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await addMissingIndexes(ddb, tableName);
  const desc = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = desc.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${tableName} has no stream`);
  return { streamArn };
}

async function addMissingIndexes(ddb: DynamoDBClient, tableName: string): Promise<void> {
  const wanted = createTableInput(tableName);
  const desc = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((desc.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of wanted.GlobalSecondaryIndexes.filter((i) => !present.has(i.IndexName))) {
    await ddb.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    // DynamoDB creates one index at a time: wait for this one before the next.
    for (let i = 0; i < 600; i++) {
      const now = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
      const status = now.Table?.GlobalSecondaryIndexes?.find(
        (g) => g.IndexName === index.IndexName,
      )?.IndexStatus;
      if (status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface LocalQueues {
  deliveriesUrl: string;
  deliveriesDlqUrl: string;
}

/** Creates the deliveries queue and its DLQ (with the local redrive limit, see lib/queue/definitions.ts). */
export async function ensureQueues(
  sqs: SQSClient,
  prefix: string,
  maxAttempts: number,
  visibilityTimeoutSeconds: number = QUEUES.deliveries.visibilityTimeoutSeconds,
): Promise<LocalQueues> {
  const q = QUEUES.deliveries;
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}${q.dlqName}`,
      Attributes: { MessageRetentionPeriod: String(q.retentionSeconds) },
    }),
  );
  const dlqAttrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}${q.name}`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(q.retentionSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttrs.Attributes?.QueueArn,
          maxReceiveCount: redriveMaxReceiveCount(maxAttempts, 'local'),
        }),
      },
    }),
  );
  return { deliveriesUrl: main.QueueUrl as string, deliveriesDlqUrl: dlq.QueueUrl as string };
}
