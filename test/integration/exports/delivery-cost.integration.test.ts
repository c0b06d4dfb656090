import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDynamoDbRequests, emptyCounts, sequentialRoundTrips } from '../../../bench/lib/ddb-counter.ts';
import { parseConfig } from '../../../lib/config.ts';
import type { Db } from '../../../lib/db/client.ts';
import { listAttempts, takeLease } from '../../../lib/db/deliveries-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { getTarget } from '../../../lib/db/targets-store.ts';
import { exportRef, getExport } from '../../../lib/db/ticket-exports-store.ts';
import { createAccount } from '../../../lib/domain/accounts.ts';
import { type DeliveryDeps, processDelivery } from '../../../lib/domain/delivery.ts';
import { toPage } from '../../../lib/domain/pages.ts';
import type { DeliveryMessage } from '../../../lib/queue/definitions.ts';
import { handleDeliveryBatch } from '../../../lib/queue/delivery-batch.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { createTestTable } from '../../support/local-stack.ts';
import { createTarget } from '../../support/plans.ts';
import { expireLease, putQueuedExport } from './fixtures.ts';

/**
 * What one delivery attempt costs in DynamoDB, counted exactly at the SDK boundary against DynamoDB
 * Local (docs/ticket-exports.md, "What one attempt costs"): requests, sequential round trips, and the
 * write units DynamoDB reports, which must not grow with the export's body.
 */
let db: Db;
let receiver: ReferenceReceiver;
let accountId: string;
let targetId: string;
let otherTargetId: string;
const config = parseConfig({
  WRO_TABLE_NAME: 'set-below',
  WRO_TARGET_SECRETS_KEY: randomBytes(32).toString('base64'),
  WRO_ALLOW_PRIVATE_TARGETS: '1',
  WRO_DELIVERY_TIMEOUT_MS: '2000',
});
const deps = () => ({ db, config });
const ctx = (messageId: string) => ({ messageId, receiveCount: 1 });
const hinted = (exportId: string, target = targetId): DeliveryMessage => ({
  type: 'ticket_export',
  export_id: exportId,
  target_id: target,
  account_id: accountId,
});

/** Runs one message and counts its DynamoDB requests. */
async function counted(message: DeliveryMessage, messageId: string) {
  const counts = emptyCounts();
  const stop = countDynamoDbRequests(db.doc, counts);
  try {
    const decision = await processDelivery(deps(), message, ctx(messageId));
    return { decision, counts, roundTrips: sequentialRoundTrips(counts) };
  } finally {
    stop();
  }
}

beforeAll(async () => {
  db = await createTestTable();
  config.tableName = db.table;
  receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  accountId = (await createAccount(db, { name: 'Acme', plan: 'team' })).id;
  const target = (name: string) =>
    createTarget(
      { db, config },
      { accountId, plan: 'team' },
      {
        provider_key: 'generic_webhook',
        base_url: `${receiver.url}/hooks`,
        deployment_mode: 'cloud',
        name,
        events: ['ticket_export'],
      },
    );
  const created = await target('Receiver');
  const other = await target('Other');
  targetId = created.target.id;
  otherTargetId = other.target.id;
  receiver.setSecrets([created.signingSecret, other.signingSecret]);
});
afterAll(async () => {
  await receiver?.close();
});

describe('one attempt', () => {
  it('is three requests in two round trips, and its write units do not depend on the body size', async () => {
    const units: number[] = [];
    for (const bodyBytes of [2 * 1024, 256 * 1024]) {
      const exp = await putQueuedExport(db, { accountId, targetId, bodyBytes });
      expect(Buffer.byteLength(exp.body)).toBeGreaterThanOrEqual(bodyBytes);
      const { decision, counts, roundTrips } = await counted(hinted(exp.id), `m-${bodyBytes}`);
      expect(decision).toMatchObject({ action: 'ack', reason: 'delivered' });
      expect(counts.byCommand).toEqual({ UpdateItem: 1, BatchGetItem: 1, TransactWriteItems: 1 });
      expect(roundTrips).toBe(2);
      units.push(counts.writeUnits);
      // The receiver got the exact stored body.
      const got = receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === exp.delivery_id);
      expect(got.map((r) => r.rawBody)).toEqual([exp.body]);
    }
    expect(units[0]).toBeGreaterThan(0);
    expect(units[1]).toBe(units[0]);
  });

  it('a retry is the same three requests', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    receiver.setScript([{ status: 500 }]);
    const { decision, counts, roundTrips } = await counted(hinted(exp.id), 'm-retry');
    expect(decision).toMatchObject({ action: 'retry_later', reason: 'http_server_error' });
    expect(counts.requests).toBe(3);
    expect(roundTrips).toBe(2);
  });

  it('a duplicate message while the lease is held: one round trip, nothing sent', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    const held = await takeLease(db, exportRef(exp.id), {
      holder: 'other-message',
      leaseId: 'other',
      nowMs: Date.now(),
      leaseMs: 60_000,
    });
    expect(held.kind).toBe('leased');
    const { decision, roundTrips } = await counted(hinted(exp.id), 'm-dup');
    // Not dropped: it comes back once the lease (60 s) has expired, in case the holder's message is gone.
    expect(decision).toMatchObject({ action: 'retry_later', reason: 'lease_held' });
    expect((decision as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(60);
    expect((decision as { delaySeconds: number }).delaySeconds).toBeLessThanOrEqual(62);
    expect(roundTrips).toBe(1);
    expect(
      receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === exp.delivery_id),
    ).toEqual([]);
  });

  it('a message without ids, or naming another target, reads the leased target after the lease', async () => {
    // The export now goes to the other target (as after a retry to another target); the message still
    // names the first one. The send-time check must use the export's own target.
    const exp = await putQueuedExport(db, { accountId, targetId: otherTargetId });
    const stale = await counted(hinted(exp.id, targetId), 'm-stale');
    expect(stale.decision).toMatchObject({ action: 'ack', reason: 'delivered' });
    expect(stale.counts.byCommand).toEqual({ UpdateItem: 1, BatchGetItem: 2, TransactWriteItems: 1 });
    expect(stale.roundTrips).toBe(3);

    const bare = await putQueuedExport(db, { accountId, targetId });
    const plain = await counted({ type: 'ticket_export', export_id: bare.id }, 'm-bare');
    expect(plain.decision).toMatchObject({ action: 'ack', reason: 'delivered' });
    expect(plain.counts.requests).toBe(4);
  });

  it('an export written before payloads had their own item (body inline) is still delivered', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    await db.doc.send(
      new PutCommand({ TableName: db.table, Item: { ...keys.ticketExport(exp.id), ...exp } }),
    );
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: keys.deliveryPayload(keys.exportPartition(exp.id)),
      }),
    );
    expect(await getExport(db, exp.id, true)).toMatchObject({ body: exp.body });
    const { decision } = await counted(hinted(exp.id), 'm-legacy');
    expect(decision).toMatchObject({ action: 'ack', reason: 'delivered' });
    const got = receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === exp.delivery_id);
    expect(got.map((r) => [r.rawBody, r.verified])).toEqual([[exp.body, true]]);
  });
});

/** One SQS batch of the exports' messages, run through the worker, with its DynamoDB requests counted. */
async function countedBatch(
  exps: { id: string; target_id: string | null }[],
  workerDeps: Partial<DeliveryDeps> = {},
) {
  const Records = exps.map(
    (exp, i) =>
      ({
        messageId: `batch-${exp.id}-${i}`,
        receiptHandle: `batch-${i}`,
        body: JSON.stringify(hinted(exp.id, exp.target_id ?? undefined)),
        attributes: { ApproximateReceiveCount: '1' },
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:deliveries',
      }) as unknown as SQSRecord,
  );
  const counts = emptyCounts();
  const stop = countDynamoDbRequests(db.doc, counts);
  try {
    const res = await handleDeliveryBatch({ Records }, { ...deps(), sqs: new SQSClient({}), ...workerDeps });
    return { res, counts, roundTrips: sequentialRoundTrips(counts) };
  } finally {
    stop();
  }
}

const requestsFor = (deliveryId: string) =>
  receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === deliveryId);

describe('one SQS batch', () => {
  it('shares one BatchGetItem and one outcome transaction among its messages: N + 2 requests in two round trips', async () => {
    const exps = await Promise.all(
      Array.from({ length: 5 }, () => putQueuedExport(db, { accountId, targetId })),
    );
    const { res, counts, roundTrips } = await countedBatch(exps);
    expect(res.batchItemFailures).toEqual([]);
    expect(counts.byCommand).toEqual({ UpdateItem: 5, BatchGetItem: 1, TransactWriteItems: 1 });
    expect(roundTrips).toBe(2);
    for (const exp of exps) {
      expect(await getExport(db, exp.id, true)).toMatchObject({ status: 'exported', attempts: 1 });
      expect(toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 })).items).toHaveLength(
        1,
      );
      expect(requestsFor(exp.delivery_id)).toHaveLength(1);
    }
  });

  it('failures to one target each write its streak: one transaction per message, every outcome recorded', async () => {
    const exps = await Promise.all(
      Array.from({ length: 4 }, () => putQueuedExport(db, { accountId, targetId: otherTargetId })),
    );
    receiver.setScript(exps.map(() => ({ status: 500 })));
    const { res, counts } = await countedBatch(exps);
    expect(res.batchItemFailures).toHaveLength(4);
    // DynamoDB refuses a transaction that touches one item twice: the target's updates go apart.
    expect(counts.byCommand).toEqual({ UpdateItem: 4, BatchGetItem: 1, TransactWriteItems: 4 });
    for (const exp of exps) {
      expect(await getExport(db, exp.id, true)).toMatchObject({ status: 'retry_scheduled', attempts: 1 });
      const log = toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 })).items;
      expect(log.map((a) => a.outcome)).toEqual(['retry_scheduled']);
    }
    expect((await getTarget(db, otherTargetId))?.failing_since_ms).toEqual(expect.any(Number));
    // The target recovers on the next success, for the tests after this one.
    await processDelivery(
      deps(),
      hinted((await putQueuedExport(db, { accountId, targetId: otherTargetId })).id, otherTargetId),
      ctx('m-recover'),
    );
    expect((await getTarget(db, otherTargetId))?.failing_since_ms).toBeUndefined();
  });

  it('a message whose lease was lost mid-send is not recorded; the others of its batch are, once', async () => {
    const exps = await Promise.all(
      Array.from({ length: 4 }, () => putQueuedExport(db, { accountId, targetId })),
    );
    const [lost] = exps as [(typeof exps)[number]];
    let takenOver: Promise<unknown> | undefined;
    const afterSend = async ({ id }: { id: string }) => {
      if (id !== lost.id || takenOver) return;
      // Between its send and the batch's commit, this delivery's lease expires and another message
      // delivers it.
      takenOver = (async () => {
        await expireLease(db, lost.id);
        return processDelivery(deps(), hinted(lost.id), ctx('m-new-holder'));
      })();
      await takenOver;
    };
    const { res, counts } = await countedBatch(exps, { afterSend });
    expect(await takenOver).toMatchObject({ reason: 'delivered' });
    expect(res.batchItemFailures).toEqual([]);
    // The shared transaction was refused for the lost lease, then committed without it.
    expect(counts.byCommand.TransactWriteItems).toBe(1 + 2);
    for (const exp of exps) {
      expect(await getExport(db, exp.id, true)).toMatchObject({ status: 'exported', attempts: 1 });
      const log = toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 })).items;
      expect(log.map((a) => a.outcome)).toEqual(['delivered']);
    }
    // The lost one was sent by both holders, with one delivery id (receivers deduplicate by it).
    expect(requestsFor(lost.delivery_id)).toHaveLength(2);
    for (const exp of exps.slice(1)) expect(requestsFor(exp.delivery_id)).toHaveLength(1);
  });
});
