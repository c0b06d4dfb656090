import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { applyPlan } from '../../../lib/db/commit.ts';
import { keys } from '../../../lib/db/keys.ts';
import { type TargetItem, usableTargetCheck } from '../../../lib/db/targets-store.ts';
import {
  approveExportWrite,
  type ExportItem,
  requeueExportWrite,
} from '../../../lib/db/ticket-exports-store.ts';
import { planApprove, planRetry } from '../../../lib/domain/ticket-exports.ts';
import type { AppError } from '../../../lib/errors.ts';
import { sampleExport, sampleTarget } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const account = { accountId: 'acc_1', plan: 'team' };

const codeOf = async (run: () => unknown) => {
  try {
    await run();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'no error';
};

const exportId = 'exp_0123456789abcdef01234567';
const targetId = 'tgt_0123456789abcdef01234567';
const pending: ExportItem = sampleExport();
const failed: ExportItem = {
  ...pending,
  status: 'failed',
  target_id: targetId,
  round: 1,
  attempts: 8,
  failure_reason: 'attempts_exhausted',
  approved_at: '2025-01-01T00:00:01.000Z',
  updated_at: '2025-01-01T00:05:00.000Z',
};
const target: TargetItem = sampleTarget();

/** The export and the target as the plan reads them. */
const stored = (exp: ExportItem, tgt: Record<string, unknown> | undefined = { ...target }) => {
  // One Query reads the export's state and payload items.
  const { body, issue_fingerprints, ...state } = exp;
  ddbMock.on(QueryCommand).resolves({
    Items: [
      { ...keys.ticketExport(exportId), ...state },
      { ...keys.deliveryPayload(keys.exportPartition(exportId)), body, issue_fingerprints },
    ],
  });
  ddbMock
    .on(GetCommand, { Key: keys.target(targetId) })
    .resolves({ Item: tgt && { ...keys.target(targetId), ...tgt } });
};

beforeEach(() => ddbMock.reset());

describe('approving an export', () => {
  it('is one transaction pending_approval → queued, with the target check', async () => {
    stored(pending);
    const plan = await planApprove(db, account, exportId, targetId);
    const at = plan.result.approved_at!;
    expect(plan.writes).toEqual([
      approveExportWrite(db, {
        exportId,
        accountId: 'acc_1',
        targetId,
        seenUpdatedAt: pending.updated_at,
        at,
        createdAt: pending.created_at,
      }),
      usableTargetCheck(db, targetId, 'acc_1'),
    ]);
    expect(plan.result).toMatchObject({ status: 'queued', target_id: targetId, round: 1, attempts: 0 });
    // Both reads are consistent (the conditions compare with what was read).
    for (const call of ddbMock.commandCalls(GetCommand)) expect(call.args[0].input.ConsistentRead).toBe(true);

    ddbMock.on(TransactWriteCommand).resolves({});
    expect((await applyPlan(db, plan)).status).toBe('queued');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it.each([
    [undefined, 'NOT_FOUND'],
    [{ ...pending, account_id: 'other' }, 'NOT_FOUND'],
    [{ ...pending, status: 'queued' }, 'EXPORT_NOT_PENDING'],
    [{ ...pending, preview_safe: false }, 'PREVIEW_NOT_SAFE'],
    [{ ...pending, updated_at: '2025-03-03T00:00:00.000Z' }, 'CONFLICT'],
  ])('a refused approval maps the export %# to %s', async (old, expected) => {
    stored(pending);
    const plan = await planApprove(db, account, exportId, targetId);
    expect(
      await codeOf(() => plan.onConditionFailed({ index: 0, code: 'ConditionalCheckFailed', item: old })),
    ).toBe(expected);
  });

  it.each([
    [undefined, 'TARGET_NOT_FOUND'],
    [{ ...target, account_id: 'other' }, 'TARGET_NOT_FOUND'],
    [{ ...target, status: 'disabled' }, 'TARGET_NOT_ACTIVE'],
    [{ ...target, events: ['scan_run.failed'] }, 'TARGET_NOT_SUBSCRIBED'],
  ])('a refused target check maps the target %# to %s', async (old, expected) => {
    stored(pending);
    const plan = await planApprove(db, account, exportId, targetId);
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: old ? marshall(old) : undefined },
        ],
      }),
    );
    expect(await codeOf(() => applyPlan(db, plan))).toBe(expected);
  });

  it('refuses before writing what the reads already rule out', async () => {
    stored({ ...pending, status: 'exported' });
    expect(await codeOf(() => planApprove(db, account, exportId, targetId))).toBe('EXPORT_NOT_PENDING');
    stored({ ...pending, preview_safe: false });
    expect(await codeOf(() => planApprove(db, account, exportId, targetId))).toBe('PREVIEW_NOT_SAFE');
    stored(pending, { ...target, status: 'disabled' });
    expect(await codeOf(() => planApprove(db, account, exportId, targetId))).toBe('TARGET_NOT_ACTIVE');
    stored(pending);
    expect(
      await codeOf(() => planApprove(db, { accountId: 'acc_1', plan: 'free' }, exportId, targetId)),
    ).toBe('FORBIDDEN');
    expect(await codeOf(() => planApprove(db, { ...account, accountId: 'acc_2' }, exportId, targetId))).toBe(
      'NOT_FOUND',
    );
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('retrying an export', () => {
  it('starts a new round from failed or blocked only', async () => {
    stored(failed);
    const plan = await planRetry(db, account, exportId);
    expect(plan.writes).toEqual([
      requeueExportWrite(db, {
        exportId,
        accountId: 'acc_1',
        seenUpdatedAt: failed.updated_at,
        at: plan.result.updated_at,
        nowMs: Date.parse(plan.result.updated_at),
        targetId,
        createdAt: failed.created_at,
      }),
      usableTargetCheck(db, targetId, 'acc_1'),
    ]);
    expect(plan.result).toMatchObject({ status: 'queued', round: 2, attempts: 0, failure_reason: null });

    const old = { ...failed, status: 'exported' };
    expect(
      await codeOf(() => plan.onConditionFailed({ index: 0, code: 'ConditionalCheckFailed', item: old })),
    ).toBe('EXPORT_NOT_RETRYABLE');
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: marshall(old) }, { Code: 'None' }],
      }),
    );
    expect(await codeOf(() => applyPlan(db, plan))).toBe('EXPORT_NOT_RETRYABLE');

    stored({ ...failed, status: 'exported' });
    expect(await codeOf(() => planRetry(db, account, exportId))).toBe('EXPORT_NOT_RETRYABLE');
    stored({ ...failed, status: 'blocked' });
    expect((await planRetry(db, account, exportId)).result.status).toBe('queued');
  });

  it('takes a delivering export whose lease expired (its worker is gone), never one with a live lease', async () => {
    const now = Date.now();
    stored({ ...failed, status: 'delivering', lease_id: 'l1', lease_expires_at: now + 60_000 });
    expect(await codeOf(() => planRetry(db, account, exportId))).toBe('EXPORT_NOT_RETRYABLE');
    stored({ ...failed, status: 'delivering', lease_id: 'l1', lease_expires_at: now - 1 });
    const plan = await planRetry(db, account, exportId);
    expect(plan.result).toMatchObject({ status: 'queued', round: 2, attempts: 0 });
    // The lease may have been renewed between the read and the write: the condition says no.
    const renewed = { ...failed, status: 'delivering', lease_expires_at: Date.now() + 60_000 };
    expect(
      await codeOf(() => plan.onConditionFailed({ index: 0, code: 'ConditionalCheckFailed', item: renewed })),
    ).toBe('EXPORT_NOT_RETRYABLE');
  });
});
