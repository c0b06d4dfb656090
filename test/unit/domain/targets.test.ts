import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import { seal, secretKeyFromString } from '../../../lib/crypto/secret-box.ts';
import type { Db } from '../../../lib/db/client.ts';
import { applyPlan } from '../../../lib/db/commit.ts';
import { encodeCursor } from '../../../lib/db/key-cursor.ts';
import { disableTargetWrite, rotateSecretWrite, type TargetItem } from '../../../lib/db/targets-store.ts';
import {
  listOwnedTargets,
  openSigningSecrets,
  planDisableTarget,
  planRotateSecret,
  type TargetDeps,
} from '../../../lib/domain/targets.ts';
import { type AppError, NotFoundError } from '../../../lib/errors.ts';
import { sampleTarget } from '../../support/dynamodb-fakes.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const config = parseConfig({
  WRO_TABLE_NAME: 'table',
  WRO_TARGET_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
});
const deps: TargetDeps = { db, config };

const conditionFailed = (item?: Record<string, unknown>) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: item ? marshall(item) : undefined }],
  });
const codeOf = async (run: () => unknown) => {
  try {
    await run();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'no error';
};

const target: TargetItem = sampleTarget();
/** The target as read by the plan (GetCommand on its key). */
const stored = (t: Partial<TargetItem> = {}) =>
  ddbMock.on(GetCommand).resolves({ Item: { pk: `TARGET#${target.id}`, sk: 'TARGET', ...target, ...t } });

beforeEach(() => ddbMock.reset());

describe('rotating a signing secret', () => {
  it('is one write conditional on the version read, answering the new secret once committed', async () => {
    const oldSealed = seal(secretKeyFromString(config.targetSecretsKey as string), 'whsec_old', target.id);
    stored({ secret_sealed: oldSealed });
    const plan = await planRotateSecret(deps, 'acc_1', target.id);
    const { target: rotated, signingSecret } = plan.result;
    expect(plan.writes).toEqual([
      rotateSecretWrite(db, {
        targetId: target.id,
        accountId: 'acc_1',
        expectedVersion: 1,
        sealed: rotated.secret_sealed,
        at: rotated.updated_at,
        // The default grace window: the old secret keeps verifying for 24 hours.
        previous: { sealed: oldSealed, expiresMs: Date.parse(rotated.updated_at) + 86_400_000 },
      }),
    ]);
    expect(rotated.previous_secret_sealed).toBe(oldSealed);
    expect(rotated.secret_version).toBe(2);
    expect(rotated.secret_rotated_at).toBe(rotated.updated_at);
    expect(rotated.secret_sealed).not.toContain(signingSecret);
    expect(await openSigningSecrets({ config }, rotated, Date.now())).toEqual({
      current: signingSecret,
      previous: 'whsec_old',
    });

    ddbMock.on(TransactWriteCommand).resolves({});
    const res = await applyPlan(db, plan);
    expect(res.target.secret_version).toBe(2);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('with a grace window of 0, ends the previous secret at once', async () => {
    stored({ previous_secret_sealed: 'v1.older', previous_secret_expires_ms: Date.now() + 1000 });
    const plan = await planRotateSecret(deps, 'acc_1', target.id, 0);
    const update = (plan.writes[0] as { Update: { UpdateExpression: string } }).Update;
    expect(update.UpdateExpression).toMatch(
      /REMOVE previous_secret_sealed, previous_secret_expires_ms, receiver_secret$/,
    );
    expect(plan.result.target.previous_secret_sealed).toBeUndefined();
  });

  it.each([
    [undefined, 'NOT_FOUND'],
    [{ ...target, account_id: 'acc_other' }, 'NOT_FOUND'],
    [{ ...target, status: 'disabled' }, 'TARGET_NOT_ACTIVE'],
    [{ ...target, secret_version: 2 }, 'CONFLICT'],
  ])('a refused rotation maps the old item %# to %s', async (old, expected) => {
    stored();
    const plan = await planRotateSecret(deps, 'acc_1', target.id);
    expect(
      await codeOf(() => plan.onConditionFailed({ index: 0, code: 'ConditionalCheckFailed', item: old })),
    ).toBe(expected);
    // The same, end to end: the cancelled transaction's item reaches the plan.
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed(old));
    expect(await codeOf(() => applyPlan(db, plan))).toBe(expected);
  });

  it('refuses before writing a target that is not the account’s or not active', async () => {
    stored({ status: 'disabled' });
    expect(await codeOf(() => planRotateSecret(deps, 'acc_1', target.id))).toBe('TARGET_NOT_ACTIVE');
    stored();
    expect(await codeOf(() => planRotateSecret(deps, 'acc_2', target.id))).toBe('NOT_FOUND');
    expect(await codeOf(() => planRotateSecret(deps, 'acc_1', 'not-an-id'))).toBe('NOT_FOUND');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('disabling a target', () => {
  it('keeps the first time and reason and is scoped to the account', async () => {
    stored();
    const plan = await planDisableTarget(db, 'acc_1', target.id);
    const at = plan.result.updated_at;
    expect(plan.writes).toEqual([
      disableTargetWrite(db, {
        targetId: target.id,
        accountId: 'acc_1',
        seenUpdatedAt: target.updated_at,
        reason: 'disabled_by_user',
        at,
      }),
    ]);
    expect(plan.result).toMatchObject({
      status: 'disabled',
      disabled_at: at,
      disabled_reason: 'disabled_by_user',
    });

    stored({ status: 'disabled', disabled_at: 'first', disabled_reason: 'receiver_gone' });
    const again = await planDisableTarget(db, 'acc_1', target.id);
    expect(again.result).toMatchObject({ disabled_at: 'first', disabled_reason: 'receiver_gone' });

    stored();
    await expect(planDisableTarget(db, 'acc_2', target.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    [undefined, 'NOT_FOUND'],
    [{ ...target, account_id: 'acc_2' }, 'NOT_FOUND'],
    [{ ...target, updated_at: '2025-02-02T00:00:00.000Z' }, 'CONFLICT'],
  ])('a refused disable maps the old item %# to %s', async (old, expected) => {
    stored();
    const plan = await planDisableTarget(db, 'acc_1', target.id);
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed(old));
    expect(await codeOf(() => applyPlan(db, plan))).toBe(expected);
  });
});

describe('listing targets', () => {
  it('answers views with the next cursor, and a cursor of another list with 422', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [{ pk: `TARGET#${target.id}`, sk: 'TARGET', gsi1pk: 'g', gsi1sk: 's', ...target }],
      LastEvaluatedKey: { pk: 'TARGET#x', sk: 'TARGET', gsi1pk: 'ACCOUNT#acc_1#TARGETS', gsi1sk: 's' },
    });
    const res = await listOwnedTargets(db, 'acc_1', { limit: 1 });
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).not.toHaveProperty('secret_sealed');
    expect(res.items[0]).toMatchObject({ id: target.id, secret_version: 1, disabled_at: null });
    expect(res.next_cursor).toBeTruthy();

    expect(await codeOf(() => listOwnedTargets(db, 'acc_2', { limit: 1, cursor: res.next_cursor! }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await codeOf(() => listOwnedTargets(db, 'acc_1', { limit: 1, cursor: 'garbage!' }))).toBe(
      'VALIDATION_FAILED',
    );
    const tableKeyOnly = encodeCursor({ pk: 'TARGET#x', sk: 'TARGET' })!;
    expect(await codeOf(() => listOwnedTargets(db, 'acc_1', { limit: 1, cursor: tableKeyOnly }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
