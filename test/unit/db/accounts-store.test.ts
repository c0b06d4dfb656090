import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { revokeToken } from '../../../lib/db/accounts-store.ts';
import type { Db } from '../../../lib/db/client.ts';
import { revokeApiToken } from '../../../lib/domain/accounts.ts';
import { NotFoundError } from '../../../lib/errors.ts';
import { conditionFailed as ccf } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddbMock.reset());

describe('accounts store', () => {
  it('revoking an unknown token is NOT_FOUND', async () => {
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(await revokeToken(db, 'hash', '2026-01-01T00:00:00Z')).toBeUndefined();
    await expect(revokeApiToken(db, 'wro_unknown')).rejects.toBeInstanceOf(NotFoundError);
  });
});
