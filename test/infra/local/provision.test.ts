import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureTable } from '../../../infra/local/provision.ts';
import { globalIndexInput, TABLE } from '../../../lib/db/table-definition.ts';

/** The local table keeps up with the definition: a table from an earlier release gets its new index. */
const client = new DynamoDBClient({ region: 'us-east-1' });
const ddb = mockClient(client);
beforeEach(() => ddb.reset());

const table = (indexes: { name: string; status: 'ACTIVE' | 'CREATING' }[]) => ({
  Table: {
    LatestStreamArn: 'arn:stream',
    GlobalSecondaryIndexes: indexes.map((i) => ({ IndexName: i.name, IndexStatus: i.status })),
  },
});

describe('ensureTable on a table kept from an earlier release', () => {
  it('adds the missing index and waits until it is active', async () => {
    ddb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    ddb
      .on(DescribeTableCommand)
      // gsi1 is there, gsi2 is not; then gsi2 is being created; then active.
      .resolvesOnce(table([{ name: 'gsi1', status: 'ACTIVE' }]))
      .resolvesOnce(
        table([
          { name: 'gsi1', status: 'ACTIVE' },
          { name: 'gsi2', status: 'CREATING' },
        ]),
      )
      .resolves(
        table([
          { name: 'gsi1', status: 'ACTIVE' },
          { name: 'gsi2', status: 'ACTIVE' },
        ]),
      );
    ddb.on(UpdateTableCommand).resolves({});
    expect(await ensureTable(client, 'old')).toEqual({ streamArn: 'arn:stream' });
    const updates = ddb.commandCalls(UpdateTableCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.GlobalSecondaryIndexUpdates).toEqual([{ Create: globalIndexInput(TABLE.gsi2) }]);
    expect(updates[0]!.AttributeDefinitions?.map((a) => a.AttributeName)).toContain('gsi2pk');
    // It waited for CREATING to turn ACTIVE before answering.
    expect(ddb.commandCalls(DescribeTableCommand)).toHaveLength(4);
  });

  it('leaves a current table alone', async () => {
    ddb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    ddb.on(DescribeTableCommand).resolves(
      table([
        { name: 'gsi1', status: 'ACTIVE' },
        { name: 'gsi2', status: 'ACTIVE' },
      ]),
    );
    await ensureTable(client, 'current');
    expect(ddb.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });
});
