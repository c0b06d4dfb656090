import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import { seal, secretKeyFromString } from '../../../lib/crypto/secret-box.ts';
import type { Db } from '../../../lib/db/client.ts';
import { keys } from '../../../lib/db/keys.ts';
import { handleDeliveryBatch } from '../../../lib/queue/delivery-batch.ts';
import { sampleTarget } from '../../support/dynamodb-fakes.ts';

/**
 * DynamoDB requests of one SQS batch through the delivery worker, counted at the SDK boundary on a
 * fake table: each message leases itself, and the whole batch shares one BatchGetItem for its payloads,
 * targets and accounts and one TransactWriteItems for its outcomes (docs/ticket-exports.md, "What one
 * attempt costs").
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 'wro-t' };
const sqs = new SQSClient({ region: 'us-east-1' });
const secretsKey = randomBytes(32).toString('base64');
const config = parseConfig({
  WRO_TABLE_NAME: 'wro-t',
  WRO_TARGET_SECRETS_KEY: secretsKey,
  WRO_ALLOW_PRIVATE_TARGETS: '1',
  WRO_DELIVERY_TIMEOUT_MS: '2000',
  WRO_DELIVERIES_QUEUE_URL: 'http://sqs.local/000000000000/deliveries',
});
const ACCOUNT = 'acc_0123456789abcdef01234567';
const resolve = async () => [{ address: '127.0.0.1', family: 4 }];

let server: Server;
let received = 0;
let url: string;
const table = new Map<string, Record<string, unknown>>();
const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}|${String(k.sk)}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://receiver.test:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function targetItem(targetId: string) {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return {
    ...keys.target(targetId),
    ...sampleTarget(),
    id: targetId,
    account_id: ACCOUNT,
    base_url: url,
    secret_sealed: seal(secretKeyFromString(secretsKey), secret, targetId),
  };
}

/** `count` queued exports to `targetIds` (round robin), state and payload items, and their messages. */
function queuedExports(count: number, targetIds: string[]) {
  const records: SQSRecord[] = [];
  for (let i = 0; i < count; i++) {
    const exportId = `exp_${String(i).padStart(24, '0')}`;
    const targetId = targetIds[i % targetIds.length] as string;
    const state = {
      ...keys.ticketExport(exportId),
      id: exportId,
      account_id: ACCOUNT,
      target_id: targetId,
      delivery_id: `dlv_${String(i).padStart(24, '0')}`,
      status: 'queued',
      round: 1,
      attempts: 0,
      log_seq: 0,
    };
    table.set(id(state), state);
    const payload = { ...keys.deliveryPayload(keys.exportPartition(exportId)), body: `{"n":${i}}` };
    table.set(id(payload), payload);
    records.push({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify({
        type: 'ticket_export',
        export_id: exportId,
        target_id: targetId,
        account_id: ACCOUNT,
      }),
      attributes: { ApproximateReceiveCount: '1' },
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:deliveries',
    } as unknown as SQSRecord);
  }
  return records;
}

beforeEach(() => {
  ddb.reset();
  table.clear();
  received = 0;
  for (const t of ['tgt_000000000000000000000001', 'tgt_000000000000000000000002']) {
    const item = targetItem(t);
    table.set(id(item), item);
  }
  const account = { ...keys.account(ACCOUNT), id: ACCOUNT, name: 'A', plan: 'team', scan_credits: 1 };
  table.set(id(account), account);
  // The lease: the state as leased (no read before it).
  ddb.on(UpdateCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues as Record<string, unknown>;
    const leased = { ...table.get(id(input.Key)), status: 'delivering', lease_id: values[':lease'] };
    return { Attributes: leased };
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const asked = input.RequestItems['wro-t'].Keys as { pk: string; sk: string }[];
    return { Responses: { 'wro-t': asked.flatMap((k) => (table.has(id(k)) ? [table.get(id(k))] : [])) } };
  });
  ddb.on(TransactWriteCommand).resolves({});
});

const requestsByCommand = () => ({
  UpdateItem: ddb.commandCalls(UpdateCommand).length,
  BatchGetItem: ddb.commandCalls(BatchGetCommand).length,
  TransactWriteItems: ddb.commandCalls(TransactWriteCommand).length,
});

describe('one SQS batch', () => {
  it('reads the inputs of all its messages in one BatchGetItem and writes their outcomes in one transaction: N + 2 requests', async () => {
    const records = queuedExports(10, ['tgt_000000000000000000000001', 'tgt_000000000000000000000002']);
    const res = await handleDeliveryBatch({ Records: records }, { db, config, sqs, resolve });
    expect(res.batchItemFailures).toEqual([]);
    expect(received).toBe(10);
    expect(requestsByCommand()).toEqual({ UpdateItem: 10, BatchGetItem: 1, TransactWriteItems: 1 });
    // Each delivery's state (guarded by its own lease) and attempt log item.
    const entries = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(entries).toHaveLength(20);
    expect(
      new Set(entries.map((e) => e.Update?.ExpressionAttributeValues?.[':lease']).filter(Boolean)).size,
    ).toBe(10);
    // Ten payloads, two targets, one account: each key asked once.
    const asked = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['wro-t']!.Keys!;
    expect(asked).toHaveLength(13);
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['wro-t']!.ConsistentRead).toBe(
      true,
    );
  });

  it('a lone message is still three requests', async () => {
    const res = await handleDeliveryBatch(
      { Records: queuedExports(1, ['tgt_000000000000000000000001']) },
      { db, config, sqs, resolve },
    );
    expect(res.batchItemFailures).toEqual([]);
    expect(requestsByCommand()).toEqual({ UpdateItem: 1, BatchGetItem: 1, TransactWriteItems: 1 });
  });

  it('a message whose delivery went to another target reads that target on its own, after the lease', async () => {
    const records = queuedExports(3, ['tgt_000000000000000000000001']);
    // The export moved to target 2 (a retry to another target); its message still names target 1.
    const moved = table.get(id(keys.ticketExport('exp_000000000000000000000001')))!;
    moved.target_id = 'tgt_000000000000000000000002';
    const res = await handleDeliveryBatch({ Records: records }, { db, config, sqs, resolve });
    expect(res.batchItemFailures).toEqual([]);
    expect(received).toBe(3);
    expect(requestsByCommand()).toEqual({ UpdateItem: 3, BatchGetItem: 2, TransactWriteItems: 1 });
    const second = ddb.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems!['wro-t']!.Keys!;
    expect(second).toEqual([keys.target('tgt_000000000000000000000002')]);
  });
});
