import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DeploymentMode, ProviderKey } from '../domain/plans.ts';
import { ConflictError, isAwsError, NotFoundError } from '../errors.ts';
import type { TargetDisabledReason, TargetEvent, TargetStatus } from '../schemas/targets.ts';
import type { Db } from './client.ts';
import { decodeCursor, encodeCursor } from './key-cursor.ts';
import { keys } from './keys.ts';

export interface TargetItem {
  id: string;
  account_id: string;
  status: TargetStatus;
  provider_key: ProviderKey;
  base_url: string;
  deployment_mode: DeploymentMode;
  name: string;
  events: TargetEvent[];
  /** The signing secret, sealed with lib/crypto/secret-box.ts (never stored in clear). */
  secret_sealed: string;
  secret_version: number;
  created_at: string;
  updated_at: string;
  /** Absent until set (so the first disable time and reason can be kept with if_not_exists). */
  secret_rotated_at?: string;
  disabled_at?: string;
  disabled_reason?: TargetDisabledReason;
}

export async function putTarget(db: Db, target: TargetItem): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...keys.target(target.id),
        ...target,
        gsi1pk: keys.accountIndex(target.account_id, 'TARGETS'),
        gsi1sk: `${target.created_at}#${target.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

function strip(item: Record<string, unknown> | undefined): TargetItem | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest } = item;
  return rest as unknown as TargetItem;
}

export async function getTarget(
  db: Db,
  targetId: string,
  consistent = false,
): Promise<TargetItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.target(targetId), ConsistentRead: consistent }),
  );
  return strip(res.Item);
}

/** An account's targets, oldest first, one page at a time. */
export async function listTargets(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: TargetItem[]; nextCursor: string | null }> {
  const partition = keys.accountIndex(accountId, 'TARGETS');
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, { attr: 'gsi1pk', partition }),
    }),
  );
  return {
    items: (res.Items ?? []).map((i) => strip(i) as TargetItem),
    nextCursor: encodeCursor(res.LastEvaluatedKey),
  };
}

/**
 * Replaces the sealed secret, only on an active target of the account and only if no other rotation
 * won meanwhile (the version it was read at). Another account's or a missing target: NOT_FOUND.
 */
export async function rotateTargetSecret(
  db: Db,
  input: { targetId: string; accountId: string; expectedVersion: number; sealed: string; at: string },
): Promise<TargetItem> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.target(input.targetId),
        UpdateExpression:
          'SET secret_sealed = :sealed, secret_version = :next, secret_rotated_at = :at, updated_at = :at',
        ConditionExpression:
          'attribute_exists(pk) AND account_id = :acc AND #status = :active AND secret_version = :version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sealed': input.sealed,
          ':next': input.expectedVersion + 1,
          ':at': input.at,
          ':acc': input.accountId,
          ':active': 'active',
          ':version': input.expectedVersion,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return strip(res.Attributes) as TargetItem;
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    const raw = (err as { Item?: Record<string, AttributeValue> }).Item;
    const old = raw ? unmarshall(raw) : undefined;
    if (!old || old.account_id !== input.accountId) throw new NotFoundError('Target not found.');
    if (old.status !== 'active') throw new ConflictError('The target is disabled.', 'TARGET_NOT_ACTIVE');
    throw new ConflictError('The signing secret was rotated concurrently; read the target and retry.');
  }
}

/** Disables an account's target (idempotent: the first disable time and reason are kept). */
export async function disableTarget(
  db: Db,
  input: { targetId: string; accountId: string; reason: TargetDisabledReason; at: string },
): Promise<TargetItem> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.target(input.targetId),
        UpdateExpression:
          'SET #status = :disabled, disabled_at = if_not_exists(disabled_at, :at), ' +
          'disabled_reason = if_not_exists(disabled_reason, :reason), updated_at = :at',
        ConditionExpression: 'attribute_exists(pk) AND account_id = :acc',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':disabled': 'disabled',
          ':at': input.at,
          ':reason': input.reason,
          ':acc': input.accountId,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip(res.Attributes) as TargetItem;
  } catch (err) {
    if (isAwsError(err, 'ConditionalCheckFailedException')) throw new NotFoundError('Target not found.');
    throw err;
  }
}

/** The update that disables a target, for use inside a transaction (410 Gone during a delivery). */
export function disableTargetTransactItem(db: Db, targetId: string, at: string) {
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(targetId),
      UpdateExpression:
        'SET #status = :disabled, disabled_at = if_not_exists(disabled_at, :at), ' +
        'disabled_reason = if_not_exists(disabled_reason, :reason), updated_at = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':at': at, ':reason': 'receiver_gone' },
    },
  };
}
