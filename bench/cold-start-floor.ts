import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start floor (bench/cold-start.ts): a function that is nothing but the DynamoDB client and
 * lib-dynamodb, built at import as the functions build theirs, and one GetItem per event. Bundled with
 * the functions' options, it is what a function costs before any code of its own.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { table: string; pk: string; sk: string }) => {
  const res = await doc.send(new GetCommand({ TableName: event.table, Key: { pk: event.pk, sk: event.sk } }));
  return { statusCode: res.Item ? 200 : 404 };
};
