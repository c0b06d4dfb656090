import { randomBytes } from 'node:crypto';
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import type { Db } from '../../../lib/db/client.ts';
import { listAttempts } from '../../../lib/db/deliveries-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { getTarget } from '../../../lib/db/targets-store.ts';
import { getExport } from '../../../lib/db/ticket-exports-store.ts';
import { createAccount } from '../../../lib/domain/accounts.ts';
import { processDelivery } from '../../../lib/domain/delivery.ts';
import { toPage } from '../../../lib/domain/pages.ts';
import { toTargetView } from '../../../lib/domain/targets.ts';
import { handleDeliveryBatch } from '../../../lib/queue/delivery-batch.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { switchableHooks } from '../../support/hooks.ts';
import { createTestTable } from '../../support/local-stack.ts';
import { createTarget, rotateSecret } from '../../support/plans.ts';
import { expireLease, putQueuedExport } from './fixtures.ts';

/**
 * The delivery worker against DynamoDB Local and a real receiver, without SQS in between: leases,
 * crashes, duplicates, lost leases, send-time target checks and the poison rule.
 */
const { set: seams, hooks } = switchableHooks();
let db: Db;
let receiver: ReferenceReceiver;
let accountId: string;
let targetId: string;
let targetSecret: string;
const config = parseConfig({
  WRO_TABLE_NAME: 'set-below',
  WRO_TARGET_SECRETS_KEY: randomBytes(32).toString('base64'),
  WRO_ALLOW_PRIVATE_TARGETS: '1',
  WRO_DELIVERY_BASE_DELAY_SECONDS: '1',
  WRO_DELIVERY_MAX_DELAY_SECONDS: '2',
  WRO_DELIVERY_MAX_ATTEMPTS: '3',
  WRO_DELIVERY_TIMEOUT_MS: '2000',
  WRO_DELIVERY_LEASE_SECONDS: '1',
});
const deps = () => ({ db, config, ...hooks });
const msg = (exportId: string) => ({ type: 'ticket_export' as const, export_id: exportId });
const ctx = (messageId: string) => ({ messageId, receiveCount: 1 });
/** Another target of the test account (or of `account`), subscribed to ticket exports only. */
const exportTarget = (name: string, baseUrl: string, account?: { accountId: string; plan: string }) =>
  createTarget({ db, config, ...hooks }, account ?? { accountId, plan: 'team' }, {
    provider_key: 'generic_webhook',
    base_url: baseUrl,
    deployment_mode: 'cloud',
    name,
    events: ['ticket_export'],
  });
const requestsFor = (deliveryId: string) =>
  receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === deliveryId);

beforeAll(async () => {
  db = await createTestTable();
  config.tableName = db.table;
  receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  accountId = (await createAccount(db, { name: 'Acme', plan: 'team' })).id;
  const created = await createTarget(
    { db, config },
    { accountId, plan: 'team' },
    {
      provider_key: 'generic_webhook',
      base_url: `${receiver.url}/hooks`,
      deployment_mode: 'cloud',
      name: 'Receiver',
      events: ['ticket_export', 'scan_run.failed'],
    },
  );
  targetId = created.target.id;
  targetSecret = created.signingSecret;
  receiver.setSecrets([targetSecret]);
});
afterAll(async () => {
  await receiver?.close();
});
afterEach(() => {
  seams.afterSend = undefined;
  seams.resolve = undefined;
  receiver.setScript([]);
});

describe('leases', () => {
  it('a crash after the send leaves the export deliverable once the lease expires; the receiver dedupes', async () => {
    // A lease long enough to still be held by the second message on a loaded machine (the suite's 1 s
    // one could expire in between, and that message would rightly deliver).
    const longLease = () => ({
      ...deps(),
      config: { ...config, delivery: { ...config.delivery, leaseSeconds: 4 } },
    });
    const exp = await putQueuedExport(db, { accountId, targetId });
    seams.afterSend = () => {
      throw new Error('simulated crash after send');
    };
    await expect(processDelivery(longLease(), msg(exp.id), ctx('m-1'))).rejects.toThrow('simulated crash');
    seams.afterSend = undefined;
    const stuck = await getExport(db, exp.id, true);
    expect(stuck).toMatchObject({ status: 'delivering', lease_holder: 'm-1', attempts: 0 });

    // Another message while the lease is live: nothing is sent, and it comes back after the lease.
    expect(await processDelivery(longLease(), msg(exp.id), ctx('m-2'))).toMatchObject({
      action: 'retry_later',
      reason: 'lease_held',
    });
    expect(requestsFor(exp.delivery_id)).toHaveLength(1);

    // After the lease expired, any message delivers it again — with the same delivery id.
    while (Date.now() <= (stuck!.lease_expires_at ?? 0)) await new Promise((r) => setTimeout(r, 100));
    expect(await processDelivery(deps(), msg(exp.id), ctx('m-3'))).toMatchObject({
      action: 'ack',
      reason: 'delivered',
    });
    const sent = requestsFor(exp.delivery_id);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.verified)).toEqual([true, true]);
    expect(sent[0]!.headers['x-webriskops-nonce']).not.toBe(sent[1]!.headers['x-webriskops-nonce']);
    expect(sent[1]!.headers['idempotency-key']).toBe(exp.delivery_id);
    expect(sent[1]!.headers['webhook-id']).toBe(exp.delivery_id);
    expect(receiver.accepted.has(exp.delivery_id)).toBe(true);
    expect(sent.map((r) => r.answer)).toEqual([200, 200]);
    expect((await getExport(db, exp.id, true))!.status).toBe('exported');
  });

  it('the same message coming back (after a failure in the worker) takes its own lease again', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    seams.afterSend = () => {
      throw new Error('crash');
    };
    await expect(processDelivery(deps(), msg(exp.id), ctx('m-a'))).rejects.toThrow();
    seams.afterSend = undefined;
    expect(await processDelivery(deps(), msg(exp.id), ctx('m-a'))).toMatchObject({ reason: 'delivered' });
  });

  it('concurrent duplicate messages send exactly once', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    receiver.setScript([{ status: 200, delayMs: 300 }]);
    const results = await Promise.all(
      ['d-1', 'd-2', 'd-3', 'd-4', 'd-5'].map((id) => processDelivery(deps(), msg(exp.id), ctx(id))),
    );
    expect(requestsFor(exp.delivery_id)).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'delivered')).toHaveLength(1);
    // The others wait out the lease (its holder might have been lost); back, they find it done.
    const others = results.filter((r) => r.reason !== 'delivered');
    expect(others.every((r) => r.action === 'retry_later' && r.reason === 'lease_held')).toBe(true);
    expect((await getExport(db, exp.id, true))!.status).toBe('exported');
    const again = await Promise.all(
      ['d-2', 'd-3'].map((id) => processDelivery(deps(), msg(exp.id), ctx(id))),
    );
    expect(again.map((r) => `${r.action}:${r.reason}`)).toEqual(['ack:final', 'ack:final']);
    expect(requestsFor(exp.delivery_id)).toHaveLength(1);
  });

  it('a worker whose lease expired mid-send does not overwrite the new holder', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    let inner: Promise<unknown> | undefined;
    seams.afterSend = async () => {
      seams.afterSend = undefined;
      // While m-slow is between send and write, its lease expires and m-fast delivers.
      inner = (async () => {
        await expireLease(db, exp.id);
        return processDelivery(deps(), msg(exp.id), ctx('m-fast'));
      })();
      await inner;
    };
    receiver.setScript([{ status: 503 }]);
    const slowOutcome = await processDelivery(deps(), msg(exp.id), ctx('m-slow'));
    expect(await inner).toMatchObject({ reason: 'delivered' });
    expect(slowOutcome).toMatchObject({ action: 'ack', reason: 'lease_lost' });
    const final = await getExport(db, exp.id, true);
    expect(final).toMatchObject({ status: 'exported', attempts: 1 });
    const log = toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 }));
    expect(log.items.map((a) => a.outcome)).toEqual(['delivered']);
  });

  it('a retry that is not due yet is deferred without sending', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId });
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(exp.id),
        UpdateExpression: 'SET #s = :r, next_attempt_ms = :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'retry_scheduled', ':at': Date.now() + 30_000 },
      }),
    );
    const out = await processDelivery(deps(), msg(exp.id), ctx('early'));
    expect(out.action).toBe('retry_later');
    expect(out.action === 'retry_later' && out.delaySeconds).toBeGreaterThanOrEqual(29);
    expect(requestsFor(exp.delivery_id)).toHaveLength(0);
  });
});

describe('send-time target checks', () => {
  async function secondTarget() {
    const t = await exportTarget('Flip', `http://flip.example.test:${receiver.port}/hooks`);
    return t.target.id;
  }

  it('blocks when the target was disabled, without sending', async () => {
    seams.resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const id = await secondTarget();
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.target(id),
        UpdateExpression: 'SET #s = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':d': 'disabled' },
      }),
    );
    const exp = await putQueuedExport(db, { accountId, targetId: id });
    expect(await processDelivery(deps(), msg(exp.id), ctx('b-1'))).toMatchObject({
      reason: 'target_disabled',
    });
    expect(await getExport(db, exp.id, true)).toMatchObject({
      status: 'blocked',
      blocked_reason: 'target_disabled',
      last_error_class: 'target_disabled',
    });
    expect(requestsFor(exp.delivery_id)).toHaveLength(0);
    const log = toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 }));
    expect(log.items).toMatchObject([
      { outcome: 'blocked', status_code: null, error_class: 'target_disabled' },
    ]);
  });

  it('blocks when the name now resolves to an unsafe address (checked again at send time)', async () => {
    seams.resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const id = await secondTarget();
    seams.resolve = async () => [{ address: '169.254.169.254', family: 4 }];
    const exp = await putQueuedExport(db, { accountId, targetId: id });
    expect(await processDelivery(deps(), msg(exp.id), ctx('b-2'))).toMatchObject({
      reason: 'target_url_unsafe',
    });
    expect((await getExport(db, exp.id, true))!.blocked_reason).toBe('target_url_unsafe');
    expect(
      receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === exp.delivery_id),
    ).toHaveLength(0);
  });

  it('retries later when the name does not resolve at send time (dns_error)', async () => {
    seams.resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const id = await secondTarget();
    seams.resolve = async () => {
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const exp = await putQueuedExport(db, { accountId, targetId: id });
    const out = await processDelivery(deps(), msg(exp.id), ctx('b-3'));
    expect(out).toMatchObject({ action: 'retry_later', reason: 'dns_error' });
    expect(await getExport(db, exp.id, true)).toMatchObject({
      status: 'retry_scheduled',
      last_error_class: 'dns_error',
    });
  });

  it('blocks when the plan no longer allows the target, and when the target is gone', async () => {
    const acc = await createAccount(db, { name: 'Downgraded', plan: 'team' });
    const t = await exportTarget('R', `${receiver.url}/hooks`, { accountId: acc.id, plan: 'team' });
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.account(acc.id),
        UpdateExpression: 'SET #p = :free',
        ExpressionAttributeNames: { '#p': 'plan' },
        ExpressionAttributeValues: { ':free': 'free' },
      }),
    );
    const exp = await putQueuedExport(db, { accountId: acc.id, targetId: t.target.id });
    expect(await processDelivery(deps(), msg(exp.id), ctx('p-1'))).toMatchObject({
      reason: 'target_not_allowed',
    });
    const missing = await putQueuedExport(db, { accountId, targetId: 'tgt_000000000000000000000000' });
    expect(await processDelivery(deps(), msg(missing.id), ctx('p-2'))).toMatchObject({
      reason: 'target_missing',
    });
    // Another account's target id is treated as missing.
    const foreign = await putQueuedExport(db, { accountId: acc.id, targetId });
    expect(await processDelivery(deps(), msg(foreign.id), ctx('p-3'))).toMatchObject({
      reason: 'target_missing',
    });
    expect(await getTarget(db, targetId)).toMatchObject({ status: 'active' });
  });
});

describe('poison rule (batch handler)', () => {
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
  const sqsMock = mockClient(sqs);
  const queueArn = 'arn:aws:sqs:us-east-1:123456789012:poison-test';
  const record = (body: string, receiveCount: number, messageId = `msg-${Math.random()}`): SQSRecord => ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount) } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  });
  const visibilities = () =>
    sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout);

  beforeEach(() => {
    sqsMock.reset();
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    sqsMock.on(GetQueueAttributesCommand).resolves({
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:dlq', maxReceiveCount: 6 }) },
    });
  });

  it('unparseable bodies and unknown exports are released at once for the DLQ', async () => {
    const res = await handleDeliveryBatch(
      {
        Records: [
          record('{not json', 1, 'bad'),
          record(JSON.stringify(msg('exp_ffffffffffffffffffffffff')), 1, 'unknown'),
        ],
      },
      { db, config, sqs },
    );
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad', 'unknown']);
    expect(visibilities()).toEqual([0, 0]);
  });

  it('an export that keeps failing is retried with backoff, then marked failed and dead-lettered', async () => {
    const exp = await putQueuedExport(db, { accountId, targetId: (await corruptTarget()).id });
    const body = JSON.stringify(msg(exp.id));
    const first = await handleDeliveryBatch({ Records: [record(body, 1, 'p1')] }, { db, config, sqs });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'p1' }]);
    expect(visibilities()[0]).toBeGreaterThanOrEqual(1);
    expect((await getExport(db, exp.id, true))!.status).not.toBe('failed');

    const last = await handleDeliveryBatch({ Records: [record(body, 5, 'p1')] }, { db, config, sqs });
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'p1' }]);
    expect(visibilities()[1]).toBe(0);
    expect(await getExport(db, exp.id, true)).toMatchObject({
      status: 'failed',
      failure_reason: 'processing_error',
      last_error_class: 'processing_error',
    });
    // Received again before the redrive moves it: still released for the DLQ, never deleted.
    const again = await handleDeliveryBatch({ Records: [record(body, 6, 'p1')] }, { db, config, sqs });
    expect(again.batchItemFailures).toEqual([{ itemIdentifier: 'p1' }]);
    expect(visibilities()[2]).toBe(0);
  });

  it('acks delivered messages and keeps retrying ones with the retry delay as visibility', async () => {
    const ok = await putQueuedExport(db, { accountId, targetId });
    const flaky = await putQueuedExport(db, { accountId, targetId });
    receiver.setScript([]);
    const res = await handleDeliveryBatch(
      { Records: [record(JSON.stringify(msg(ok.id)), 1, 'ok')] },
      { db, config, sqs },
    );
    expect(res.batchItemFailures).toEqual([]);
    receiver.setScript([{ status: 503, headers: { 'Retry-After': '7' } }]);
    const res2 = await handleDeliveryBatch(
      { Records: [record(JSON.stringify(msg(flaky.id)), 1, 'flaky')] },
      { db, config, sqs },
    );
    expect(res2.batchItemFailures).toEqual([{ itemIdentifier: 'flaky' }]);
    expect(visibilities()).toEqual([7]);
    expect(await getExport(db, flaky.id, true)).toMatchObject({
      status: 'retry_scheduled',
      retry_after_seconds: 7,
    });
  });

  async function corruptTarget() {
    const t = await exportTarget('Corrupt', `${receiver.url}/hooks`);
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.target(t.target.id),
        UpdateExpression: 'SET secret_sealed = :bad',
        ExpressionAttributeValues: { ':bad': 'v1.00000000.AAAA.AAAA.AAAA' },
      }),
    );
    return t.target;
  }
});

describe('a receiver asking for a pause (429 or 503 with Retry-After)', () => {
  it('pauses the whole target: its other deliveries wait without a request or an attempt, then go', async () => {
    const t = await exportTarget('Overloaded', `${receiver.url}/paused`);
    const first = await putQueuedExport(db, { accountId, targetId: t.target.id });
    const second = await putQueuedExport(db, { accountId, targetId: t.target.id });
    const third = await putQueuedExport(db, { accountId, targetId: t.target.id });
    receiver.setSecrets([targetSecret, t.signingSecret]);
    const toTarget = () => receiver.requests.filter((r) => r.path === '/paused');
    receiver.setScript([{ status: 429, headers: { 'Retry-After': '2' } }]);

    const out1 = await processDelivery(deps(), msg(first.id), ctx('first'));
    expect(out1).toMatchObject({ action: 'retry_later' });
    // max(backoff ≤ 2 s, Retry-After 2 s): never shorter than what the receiver asked for.
    expect(await getExport(db, first.id, true)).toMatchObject({
      status: 'retry_scheduled',
      attempts: 1,
      retry_after_seconds: 2,
    });
    const pausedUntil = (await getTarget(db, t.target.id, true))?.paused_until_ms ?? 0;
    expect(pausedUntil).toBeGreaterThan(Date.now());

    for (const [exp, id] of [
      [second, 'second'],
      [third, 'third'],
    ] as const) {
      const out = await processDelivery(deps(), msg(exp.id), ctx(id));
      expect(out).toMatchObject({ action: 'retry_later', reason: 'target_paused' });
      expect(out.action === 'retry_later' && out.delaySeconds).toBeLessThanOrEqual(2);
      expect(await getExport(db, exp.id, true)).toMatchObject({ status: 'retry_scheduled', attempts: 0 });
      const log = toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 10 }));
      expect(log.items).toEqual([]);
    }
    expect(toTarget()).toHaveLength(1);

    await new Promise((r) => setTimeout(r, Math.max(0, pausedUntil - Date.now()) + 50));
    receiver.setScript([]);
    for (const [exp, id] of [
      [second, 'second-again'],
      [third, 'third-again'],
      [first, 'first-again'],
    ] as const) {
      expect(await processDelivery(deps(), msg(exp.id), ctx(id))).toMatchObject({
        action: 'ack',
        reason: 'delivered',
      });
      expect(await getExport(db, exp.id, true)).toMatchObject({
        status: 'exported',
        attempts: exp === first ? 2 : 1,
      });
    }
    expect(toTarget()).toHaveLength(4);
  });
});

describe('secret rotation with a grace window', () => {
  async function rotatedTarget(path: string, graceSeconds?: number) {
    const t = await exportTarget(`Rotating ${path}`, `${receiver.url}${path}`);
    const rotated = await rotateSecret({ db, config }, accountId, t.target.id, graceSeconds);
    return { id: t.target.id, oldSecret: t.signingSecret, newSecret: rotated.signingSecret };
  }
  const lastRequest = (path: string) => receiver.requests.filter((r) => r.path === path).at(-1)!;
  afterEach(() => receiver.setSecrets([targetSecret]));

  it('a receiver still on the old secret accepts at once; Standard Webhooks verifies with either secret', async () => {
    const t = await rotatedTarget('/rot-old');
    receiver.setSecrets([t.oldSecret]);
    const exp = await putQueuedExport(db, { accountId, targetId: t.id });
    expect(await processDelivery(deps(), msg(exp.id), ctx('rot-old'))).toMatchObject({ reason: 'delivered' });
    expect(await getExport(db, exp.id, true)).toMatchObject({ status: 'exported', attempts: 1 });
    const req = lastRequest('/rot-old');
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': req.headers['webhook-id'] as string,
      'webhook-timestamp': req.headers['webhook-timestamp'] as string,
      'webhook-signature': req.headers['webhook-signature'] as string,
    };
    for (const secret of [t.oldSecret, t.newSecret]) {
      expect(() => new Webhook(secret).verify(req.rawBody, headers)).not.toThrow();
    }
    const target = await getTarget(db, t.id, true);
    expect(toTargetView(target!).secret_grace_until).not.toBeNull();
  });

  it('a receiver already on the new secret gets one retry within seconds, then every delivery signed with it', async () => {
    const t = await rotatedTarget('/rot-new');
    receiver.setSecrets([t.newSecret]);
    const first = await putQueuedExport(db, { accountId, targetId: t.id });
    const out = await processDelivery(deps(), msg(first.id), ctx('rot-new-1'));
    expect(out).toMatchObject({ action: 'retry_later', delaySeconds: 2 });
    expect(await getExport(db, first.id, true)).toMatchObject({ status: 'retry_scheduled', attempts: 1 });
    expect((await getTarget(db, t.id, true))?.receiver_secret).toBe('current');
    await new Promise((r) => setTimeout(r, 2100));
    expect(await processDelivery(deps(), msg(first.id), ctx('rot-new-1'))).toMatchObject({
      reason: 'delivered',
    });
    expect(await getExport(db, first.id, true)).toMatchObject({ status: 'exported', attempts: 2 });
    const second = await putQueuedExport(db, { accountId, targetId: t.id });
    expect(await processDelivery(deps(), msg(second.id), ctx('rot-new-2'))).toMatchObject({
      reason: 'delivered',
    });
    expect(await getExport(db, second.id, true)).toMatchObject({ status: 'exported', attempts: 1 });
  });

  it('after the window (here: none), only the new secret verifies', async () => {
    const t = await rotatedTarget('/rot-none', 0);
    receiver.setSecrets([t.oldSecret]);
    const exp = await putQueuedExport(db, { accountId, targetId: t.id });
    expect(await processDelivery(deps(), msg(exp.id), ctx('rot-none'))).toMatchObject({
      reason: 'receiver_rejected',
    });
    expect(String(lastRequest('/rot-none').headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(toTargetView((await getTarget(db, t.id, true))!).secret_grace_until).toBeNull();
  });
});

describe('a target that keeps failing', () => {
  it('starts a failing streak with the first failure, ends it with a success, and keeps a pause with it', async () => {
    const t = await exportTarget('Streak', `${receiver.url}/hooks`);
    receiver.setSecrets([targetSecret, t.signingSecret]);
    const first = await putQueuedExport(db, { accountId, targetId: t.target.id });
    // One answer that both fails and pauses: the target is updated once in the attempt's transaction.
    receiver.setScript([{ status: 429, headers: { 'Retry-After': '1' } }]);
    const before = Date.now();
    expect(await processDelivery(deps(), msg(first.id), ctx('streak-1'))).toMatchObject({
      action: 'retry_later',
    });
    const failing = (await getTarget(db, t.target.id, true))!;
    expect(failing.failing_since_ms).toBeGreaterThanOrEqual(before);
    expect(failing.paused_until_ms).toBeGreaterThan(before);
    expect(toTargetView(failing).failing_since).toBe(new Date(failing.failing_since_ms!).toISOString());

    // A second failure keeps the streak's start.
    const second = await putQueuedExport(db, { accountId, targetId: t.target.id });
    await new Promise((r) => setTimeout(r, Math.max(0, failing.paused_until_ms! - Date.now()) + 50));
    receiver.setScript([{ status: 500 }]);
    await processDelivery(deps(), msg(second.id), ctx('streak-2'));
    expect((await getTarget(db, t.target.id, true))!.failing_since_ms).toBe(failing.failing_since_ms);

    receiver.setScript([]);
    const third = await putQueuedExport(db, { accountId, targetId: t.target.id });
    expect(await processDelivery(deps(), msg(third.id), ctx('streak-3'))).toMatchObject({
      reason: 'delivered',
    });
    const healthy = (await getTarget(db, t.target.id, true))!;
    expect(healthy).not.toHaveProperty('failing_since_ms');
    expect(healthy.status).toBe('active');
  });

  it('is disabled (receiver_failing) by a failure once it has failed for the whole period', async () => {
    const t = await exportTarget('Down for days', `${receiver.url}/hooks`);
    receiver.setSecrets([targetSecret, t.signingSecret]);
    const sixDaysAgo = Date.now() - 6 * 86_400_000;
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.target(t.target.id),
        // Failing for six days, the latest failure a moment ago (failures kept arriving).
        UpdateExpression: 'SET failing_since_ms = :since, failing_last_ms = :last',
        ExpressionAttributeValues: { ':since': sixDaysAgo, ':last': Date.now() - 1000 },
      }),
    );
    const exp = await putQueuedExport(db, { accountId, targetId: t.target.id });
    receiver.setScript([{ status: 503 }]);
    expect(await processDelivery(deps(), msg(exp.id), ctx('down-1'))).toMatchObject({
      action: 'retry_later',
    });
    expect(await getTarget(db, t.target.id, true)).toMatchObject({
      status: 'disabled',
      disabled_reason: 'receiver_failing',
    });
    // The export's next attempt finds the target disabled: blocked, nothing sent.
    const sent = receiver.requests.length;
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(exp.id),
        UpdateExpression: 'SET next_attempt_ms = :now',
        ExpressionAttributeValues: { ':now': Date.now() },
      }),
    );
    expect(await processDelivery(deps(), msg(exp.id), ctx('down-2'))).toMatchObject({
      action: 'ack',
      reason: 'target_disabled',
    });
    expect(receiver.requests.length).toBe(sent);
  });

  it('a failure inside a rotation’s grace window that only rejects the previous secret is not a failure', async () => {
    const t = await exportTarget('Rotating', `${receiver.url}/hooks`);
    const exp = await putQueuedExport(db, { accountId, targetId: t.target.id });
    const rotated = await rotateSecret({ db, config }, accountId, t.target.id);
    // The receiver switched to the new secret at once: it rejects the previous one.
    receiver.setSecrets([targetSecret, rotated.signingSecret]);
    try {
      expect(await processDelivery(deps(), msg(exp.id), ctx('rot-1'))).toMatchObject({
        action: 'retry_later',
      });
      const after = (await getTarget(db, t.target.id, true))!;
      expect(after.receiver_secret).toBe('current');
      expect(after).not.toHaveProperty('failing_since_ms');
    } finally {
      receiver.setSecrets([targetSecret]);
    }
  });
});
