import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import {
  completeAttempt,
  listAttempts,
  markProcessingFailed,
  takeLease,
} from '../../../lib/db/deliveries-store.ts';
import { putEventDeliveryOnce } from '../../../lib/db/events-store.ts';
import { disableTarget, listTargets, putTarget, rotateTargetSecret } from '../../../lib/db/targets-store.ts';
import { approveExport, exportRef, requeueExport } from '../../../lib/db/ticket-exports-store.ts';
import { type AppError, NotFoundError } from '../../../lib/errors.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const ccf = (item?: Record<string, unknown>) =>
  Object.assign(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }), {
    Item: item ? marshall(item) : undefined,
  });
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as AppError).code;
  }
  return 'no error';
};

beforeEach(() => ddbMock.reset());

describe('targets store', () => {
  const target = {
    id: 'tgt_0123456789abcdef01234567',
    account_id: 'acc_1',
    status: 'active' as const,
    provider_key: 'generic_webhook' as const,
    base_url: 'https://hooks.example.com/x',
    deployment_mode: 'cloud' as const,
    name: 'T',
    events: ['ticket_export' as const],
    secret_sealed: 'v1.x',
    secret_version: 1,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
  };

  it('puts a new target under its account index, never overwriting', async () => {
    ddbMock.on(PutCommand).resolves({});
    await putTarget(db, target);
    const input = ddbMock.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input.Item).toMatchObject({
      pk: `TARGET#${target.id}`,
      sk: 'TARGET',
      gsi1pk: 'ACCOUNT#acc_1#TARGETS',
      secret_sealed: 'v1.x',
    });
  });

  it('rotation is conditional on account, active status and the version read', async () => {
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...target, secret_version: 2 } });
    const res = await rotateTargetSecret(db, {
      targetId: target.id,
      accountId: 'acc_1',
      expectedVersion: 1,
      sealed: 'v1.y',
      at: 'now',
    });
    expect(res.secret_version).toBe(2);
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('secret_version = :version');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':version': 1, ':next': 2, ':acc': 'acc_1' });
  });

  it.each([
    [undefined, 'NOT_FOUND'],
    [{ ...target, account_id: 'acc_other' }, 'NOT_FOUND'],
    [{ ...target, status: 'disabled' }, 'TARGET_NOT_ACTIVE'],
    [{ ...target, secret_version: 2 }, 'CONFLICT'],
  ])('a refused rotation maps the old item %# to %s', async (old, expected) => {
    ddbMock.on(UpdateCommand).rejects(ccf(old));
    expect(
      await code(
        rotateTargetSecret(db, {
          targetId: target.id,
          accountId: 'acc_1',
          expectedVersion: 1,
          sealed: 's',
          at: 'n',
        }),
      ),
    ).toBe(expected);
  });

  it('disabling keeps the first time and reason and is scoped to the account', async () => {
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...target, status: 'disabled' } });
    await disableTarget(db, {
      targetId: target.id,
      accountId: 'acc_1',
      reason: 'disabled_by_user',
      at: 'now',
    });
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toContain('if_not_exists(disabled_at');
    expect(input.ConditionExpression).toContain('account_id = :acc');
    ddbMock.on(UpdateCommand).rejects(ccf());
    await expect(
      disableTarget(db, { targetId: target.id, accountId: 'acc_2', reason: 'disabled_by_user', at: 'now' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists through the account index and refuses a cursor for another partition', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [{ pk: 'TARGET#x', sk: 'TARGET', gsi1pk: 'g', gsi1sk: 's', ...target }],
      LastEvaluatedKey: { pk: 'TARGET#x', sk: 'TARGET', gsi1pk: 'ACCOUNT#acc_1#TARGETS', gsi1sk: 's' },
    });
    const page = await listTargets(db, 'acc_1', { limit: 2 });
    expect(page.items[0]).not.toHaveProperty('pk');
    expect(page.items[0]).not.toHaveProperty('gsi1pk');
    expect(page.nextCursor).toBeTruthy();
    await listTargets(db, 'acc_1', { limit: 2, cursor: page.nextCursor! });
    expect(ddbMock.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toMatchObject({
      gsi1pk: 'ACCOUNT#acc_1#TARGETS',
    });
    expect(await code(listTargets(db, 'acc_2', { limit: 2, cursor: page.nextCursor! }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await code(listTargets(db, 'acc_1', { limit: 2, cursor: 'garbage!' }))).toBe('VALIDATION_FAILED');
  });
});

describe('ticket exports store', () => {
  const exportId = 'exp_0123456789abcdef01234567';
  const base = { id: exportId, account_id: 'acc_1', preview_safe: true };

  it('approval is one conditional write pending_approval → queued', async () => {
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...base, status: 'queued', target_id: 't' } });
    const item = await approveExport(db, { exportId, accountId: 'acc_1', targetId: 't', at: 'now' });
    expect(item.status).toBe('queued');
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('#status = :pending');
    expect(input.ConditionExpression).toContain('preview_safe = :true');
    expect(input.ConditionExpression).toContain('account_id = :acc');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':queued': 'queued', ':target': 't' });
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it.each([
    [undefined, 'NOT_FOUND'],
    [{ ...base, account_id: 'other', status: 'pending_approval' }, 'NOT_FOUND'],
    [{ ...base, status: 'queued' }, 'EXPORT_NOT_PENDING'],
    [{ ...base, status: 'pending_approval', preview_safe: false }, 'PREVIEW_NOT_SAFE'],
  ])('a refused approval maps %# to %s', async (old, expected) => {
    ddbMock.on(UpdateCommand).rejects(ccf(old));
    expect(await code(approveExport(db, { exportId, accountId: 'acc_1', targetId: 't', at: 'n' }))).toBe(
      expected,
    );
  });

  it('retry starts a new round from failed or blocked only', async () => {
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ...base, status: 'queued', round: 2 } });
    await requeueExport(db, { exportId, accountId: 'acc_1', at: 'now' });
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('#status IN (:failed, :blocked)');
    expect(input.UpdateExpression).toContain('#round = #round + :one');
    expect(input.UpdateExpression).toContain('attempts = :zero');
    ddbMock.on(UpdateCommand).rejects(ccf({ ...base, status: 'exported' }));
    expect(await code(requeueExport(db, { exportId, accountId: 'acc_1', at: 'n' }))).toBe(
      'EXPORT_NOT_RETRYABLE',
    );
  });
});

describe('delivery state writes', () => {
  const ref = exportRef('exp_0123456789abcdef01234567');

  it('the lease is conditional on the round and on a takeable state', async () => {
    ddbMock.on(UpdateCommand).resolves({ Attributes: { status: 'delivering', lease_id: 'L' } });
    const leased = await takeLease(db, ref, {
      round: 1,
      holder: 'm1',
      leaseId: 'L',
      nowMs: 1000,
      leaseMs: 60_000,
    });
    expect(leased).toMatchObject({ lease_id: 'L' });
    const input = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('#status = :queued');
    expect(input.ConditionExpression).toContain('next_attempt_ms <= :due');
    expect(input.ConditionExpression).toContain('lease_expires_at < :now OR lease_holder = :holder');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':until': 61_000, ':round': 1, ':holder': 'm1' });
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(
      await takeLease(db, ref, { round: 1, holder: 'm2', leaseId: 'L2', nowMs: 1, leaseMs: 1 }),
    ).toBeUndefined();
  });

  const log = {
    round: 1,
    attempt: 1,
    at: 'now',
    outcome: 'delivered' as const,
    status_code: 200,
    duration_ms: 5,
    error_class: null,
    retry_after_seconds: null,
    response_body: 'ok',
  };
  const next = {
    status: 'exported' as const,
    attempts: 1,
    retry_after_seconds: null,
    next_attempt_at: null,
    next_attempt_ms: null,
    last_error_class: null,
    last_status_code: 200,
    failure_reason: null,
    blocked_reason: null,
    delivered_at: 'now',
  };

  it('records the attempt and the next state in one transaction guarded by the lease', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    expect(await completeAttempt(db, ref, { leaseId: 'L', seq: 3, log, next, at: 'now' })).toBe(true);
    const items = ddbMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    expect(items[0]!.Update!.ConditionExpression).toBe('#status = :delivering AND lease_id = :lease');
    expect(items[0]!.Update!.UpdateExpression).toContain('REMOVE lease_id');
    expect(items[1]!.Put!.Item).toMatchObject({ pk: ref.partition, sk: 'ATTEMPT#000003', status_code: 200 });
  });

  it('reports a lost lease instead of writing', async () => {
    ddbMock.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await completeAttempt(db, ref, { leaseId: 'L', seq: 1, log, next, at: 'now' })).toBe(false);
    ddbMock.on(TransactWriteCommand).rejects(new Error('throttled'));
    await expect(completeAttempt(db, ref, { leaseId: 'L', seq: 1, log, next, at: 'now' })).rejects.toThrow();
  });

  it('marks a poisoned delivery failed unless it is already final', async () => {
    ddbMock.on(UpdateCommand).resolves({});
    expect(await markProcessingFailed(db, ref, 'now')).toBe(true);
    expect(ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe(
      '#status IN (:queued, :delivering, :retry)',
    );
    ddbMock.on(UpdateCommand).rejects(ccf());
    expect(await markProcessingFailed(db, ref, 'now')).toBe(false);
  });

  it('lists the attempt log of one partition only', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [{ pk: ref.partition, sk: 'ATTEMPT#000001', ...log }] });
    const page = await listAttempts(db, ref.partition, { limit: 10 });
    expect(page.items).toEqual([log]);
    const input = ddbMock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.ExpressionAttributeValues).toEqual({ ':p': ref.partition, ':prefix': 'ATTEMPT#' });
  });

  it('creates an event delivery once (deterministic id)', async () => {
    ddbMock.on(PutCommand).resolvesOnce({}).rejects(ccf());
    const item = { id: 'evt_x', account_id: 'acc_1', created_at: 'now' } as never;
    expect(await putEventDeliveryOnce(db, item)).toBe(true);
    expect(await putEventDeliveryOnce(db, item)).toBe(false);
  });
});
