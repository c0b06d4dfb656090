import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { apiClient } from '../../support/api-client.ts';
import { switchableHooks } from '../../support/hooks.ts';
import { startTestStack } from '../../support/local-stack.ts';

const { set: seams, hooks } = switchableHooks();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

beforeAll(async () => {
  seams.resolve = async () => [{ address: '93.184.215.14', family: 4 }];
  stack = await startTestStack({ workers: false, allowPrivateTargets: false, hooks });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

async function everyItem(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await stack.db.doc.send(
      new ScanCommand({ TableName: stack.db.table, ExclusiveStartKey: start }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

/** Every stream record of the table, as the dispatcher would receive it (new and old images). */
async function everyStreamRecord(): Promise<string> {
  const endpoint = inject('dynamodbEndpoint');
  const ddb = new DynamoDBClient({ endpoint, ...local });
  const streams = new DynamoDBStreamsClient({ endpoint, ...local });
  const arn = (await ddb.send(new DescribeTableCommand({ TableName: stack.db.table }))).Table
    ?.LatestStreamArn;
  const shards =
    (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
  const records: unknown[] = [];
  for (const shard of shards) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    for (let i = 0; iterator && i < 20; i++) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  ddb.destroy();
  streams.destroy();
  return JSON.stringify(records);
}

describe('signing secrets at rest', () => {
  it('appear in no item and no stream image after create, rotate and their replays; replays return the same secret', async () => {
    const account = await createAccount(stack.db, { name: 'Acme', plan: 'team' });
    const token = (await createToken(stack.db, { accountId: account.id })).api_token;
    const body = {
      provider_key: 'generic_webhook',
      base_url: 'https://hooks.example.com/webriskops',
      deployment_mode: 'cloud',
      name: 'Hooks',
    };
    const created = await api('POST', '/api/ticket-export-targets', { token, idempotencyKey: 'tgt-1', body });
    expect(created.status).toBe(201);
    const replay = await api('POST', '/api/ticket-export-targets', { token, idempotencyKey: 'tgt-1', body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(created.body);
    const path = `/api/ticket-export-targets/${created.body.id}/rotate-secret`;
    const rotated = await api('POST', path, { token, idempotencyKey: 'rot-1' });
    expect(rotated.status).toBe(200);
    const rotatedAgain = await api('POST', path, { token, idempotencyKey: 'rot-1' });
    expect(rotatedAgain.body.signing_secret).toBe(rotated.body.signing_secret);
    const secrets = [created.body.signing_secret, rotated.body.signing_secret] as string[];
    expect(new Set(secrets).size).toBe(2);

    const table = await everyItem();
    const stream = await everyStreamRecord();
    expect(table).toContain(created.body.id); // the scan did see the target and its records
    expect(stream).toContain(created.body.id);
    for (const secret of secrets) {
      // The secret itself, and its base64 body without the whsec_ prefix.
      const core = secret.replace(/^whsec_/, '');
      expect(table).not.toContain(core);
      expect(stream).not.toContain(core);
    }
  });
});
