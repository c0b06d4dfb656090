import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { conditionFailure, type TransactItem } from './dynamo.ts';

/**
 * A stored answer. `body` holds it as sent; `sealed_body` instead holds it encrypted, for answers that
 * carry a secret (docs/platform.md, "Idempotency"): the table and its stream never see it in clear.
 */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
  sealed_body?: string;
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

export interface IdempotencyRecord {
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
    const failed = conditionFailure(err);
    if (!failed) throw err;
    const existing = (failed.item as IdempotencyRecord | undefined) ?? (await readIdempotencyRecord(db, key));
    if (!existing) return claimIdempotencyKey(db, key, fingerprint, opts); // deleted in between: try again
    return judgeExisting(existing, fingerprint, now);
  }
}

/** What an existing record means for a request with this fingerprint. */
export function judgeExisting(
  existing: IdempotencyRecord,
  fingerprint: string,
  nowSeconds: number,
): Exclude<ClaimResult, { kind: 'claimed' }> {
  if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (existing.status === 'completed' && existing.response)
    return { kind: 'replay', response: existing.response };
  return {
    kind: 'in_progress',
    retryAfterSeconds: Math.max(1, (existing.lock_expires_at ?? nowSeconds) - nowSeconds),
  };
}

export async function readIdempotencyRecord(
  db: Db,
  key: IdempotencyKey,
): Promise<IdempotencyRecord | undefined> {
  const res = await db.doc.send(new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true }));
  return res.Item as IdempotencyRecord | undefined;
}

/**
 * The completion of a claim as one entry of the transaction that commits the request's effect, so
 * the effect and its stored answer land together or not at all. Its condition (this claim still owns
 * the record) fails when the lock expired and another request took the key over; then nothing of this
 * request is written. On failure it returns the record as it is.
 */
export function completionWrite(
  db: Db,
  key: IdempotencyKey,
  claimId: string,
  response: StoredResponse,
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: key,
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lock_expires_at',
      ConditionExpression: 'claim_id = :claim AND #status = :in_progress',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':in_progress': 'in_progress',
        ':response': response,
        ':claim': claimId,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Stores the outcome, only while this request still owns the claim. Returns false if it lost it. */
export async function completeIdempotencyKey(
  db: Db,
  key: IdempotencyKey,
  claimId: string,
  response: StoredResponse,
): Promise<boolean> {
  try {
    const { Update } = completionWrite(db, key, claimId, response);
    await db.doc.send(new UpdateCommand(Update as NonNullable<typeof Update>));
    return true;
  } catch (err) {
    if (conditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Releases this request's claim (validation failure or 5xx) so the caller may fix and retry — only
 * while it is still open: a record that holds an answer (the commit landed although the caller saw an
 * error, e.g. a lost connection or a timeout) is never deleted, so a retry replays that answer.
 */
export async function releaseIdempotencyKey(db: Db, key: IdempotencyKey, claimId: string): Promise<void> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: key,
        ConditionExpression: 'claim_id = :claim AND #status = :in_progress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claim': claimId, ':in_progress': 'in_progress' },
      }),
    );
  } catch (err) {
    if (!conditionFailure(err)) throw err;
  }
}

/** The record operations the idempotency middleware needs, bound to a table and its time settings. */
export interface IdempotencyStore {
  claim(key: IdempotencyKey, fingerprint: string): Promise<ClaimResult>;
  completionWrite(key: IdempotencyKey, claimId: string, response: StoredResponse): TransactItem;
  complete(key: IdempotencyKey, claimId: string, response: StoredResponse): Promise<boolean>;
  release(key: IdempotencyKey, claimId: string): Promise<void>;
}

export function idempotencyStore(
  db: Db,
  opts: { ttlSeconds: number; lockSeconds: number },
): IdempotencyStore {
  return {
    claim: (key, fingerprint) => claimIdempotencyKey(db, key, fingerprint, opts),
    completionWrite: (key, claimId, response) => completionWrite(db, key, claimId, response),
    complete: (key, claimId, response) => completeIdempotencyKey(db, key, claimId, response),
    release: (key, claimId) => releaseIdempotencyKey(db, key, claimId),
  };
}
