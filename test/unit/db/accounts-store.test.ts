import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { revokeToken } from '../../../lib/db/accounts-store.ts';
import type { Db } from '../../../lib/db/client.ts';
import { revokeApiToken } from '../../../lib/domain/accounts.ts';
import { NotFoundError } from '../../../lib/errors.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const ccf = (item?: Record<string, unknown>) =>
  Object.assign(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }), {
    Item: item ? marshall(item) : undefined,
  });

beforeEach(() => ddbMock.reset());

describe('accounts store', () => {
  it('revoking an unknown token is NOT_FOUND', async () => {
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(await revokeToken(db, 'hash', '2026-01-01T00:00:00Z')).toBeUndefined();
    await expect(revokeApiToken(db, 'wro_unknown')).rejects.toBeInstanceOf(NotFoundError);
  });
});
