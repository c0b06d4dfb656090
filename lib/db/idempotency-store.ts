import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isAwsError } from '../errors.ts';
import type { Db } from './client.ts';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ClaimResult =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_progress'; retryAfterSeconds: number }
  | { kind: 'mismatch' };

export interface IdempotencyKey {
  pk: string;
  sk: string;
}

interface Record_ {
  status: 'in_progress' | 'completed';
  fingerprint: string;
  claim_id: string;
  lock_expires_at?: number;
  expires_at: number;
  response?: StoredResponse;
}

/**
 * Claims a key with one conditional PutItem. It succeeds when no live record exists, when the record
 * has outlived its retention (TTL deletion lags), or when an in-progress claim's lock has expired (the
 * request that held it crashed). Otherwise the existing record decides: different fingerprint →
 * mismatch, completed → replay, else in progress.
 */
export async function claimIdempotencyKey(
  db: Db,
  key: IdempotencyKey,
  fingerprint: string,
  opts: { ttlSeconds: number; lockSeconds: number; nowMs?: number },
): Promise<ClaimResult> {
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const claimId = randomUUID();
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          ...key,
          status: 'in_progress',
          fingerprint,
          claim_id: claimId,
          lock_expires_at: now + opts.lockSeconds,
          expires_at: now + opts.ttlSeconds,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expires_at < :now OR (#status = :in_progress AND lock_expires_at < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':in_progress': 'in_progress' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'claimed', claimId };
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    const returned = (err as { Item?: Record<string, AttributeValue> }).Item;
    const existing = returned
      ? (unmarshall(returned) as Record_)
      : ((await db.doc.send(new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true }))).Item as
          | Record_
          | undefined);
    if (!existing) return claimIdempotencyKey(db, key, fingerprint, opts); // deleted in between: try again
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (existing.status === 'completed' && existing.response)
      return { kind: 'replay', response: existing.response };
    return { kind: 'in_progress', retryAfterSeconds: Math.max(1, (existing.lock_expires_at ?? now) - now) };
  }
}

/** Stores the outcome, only while this request still owns the claim. Returns false if it lost it. */
export async function completeIdempotencyKey(
  db: Db,
  key: IdempotencyKey,
  claimId: string,
  response: StoredResponse,
): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: key,
        UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lock_expires_at',
        ConditionExpression: 'claim_id = :claim',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
        ExpressionAttributeValues: { ':completed': 'completed', ':response': response, ':claim': claimId },
      }),
    );
    return true;
  } catch (err) {
    if (isAwsError(err, 'ConditionalCheckFailedException')) return false;
    throw err;
  }
}

/** Releases this request's claim (validation failure or 5xx) so the caller may fix and retry. */
export async function releaseIdempotencyKey(db: Db, key: IdempotencyKey, claimId: string): Promise<void> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: key,
        ConditionExpression: 'claim_id = :claim',
        ExpressionAttributeValues: { ':claim': claimId },
      }),
    );
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
  }
}
