import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isAwsError } from '../errors.ts';
import type { Db } from './client.ts';

/**
 * The few DynamoDB idioms every store uses, written once: key attributes stripped from items, the
 * current item carried by a failed condition, the per-item reasons of a cancelled transaction, and
 * the one retry helper for what DynamoDB says may succeed when tried again.
 */

/** One entry of TransactWriteItems, in lib-dynamodb's native-value form. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);

/** The item without its table and index keys: what the domain sees. */
export function stripKeys<T>(item: Record<string, unknown>): T;
export function stripKeys<T>(item: Record<string, unknown> | undefined): T | undefined;
export function stripKeys<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as T;
}

const toNative = (raw: unknown) =>
  raw && typeof raw === 'object' && Object.keys(raw).length > 0
    ? unmarshall(raw as Record<string, AttributeValue>)
    : undefined;

/**
 * A single write's failed condition: `{ item }` holds the current item when the write asked for it
 * (ReturnValuesOnConditionCheckFailure: ALL_OLD), undefined when it did not exist. Any other error: null.
 */
export function conditionFailure(err: unknown): { item?: Record<string, unknown> } | null {
  if (!isAwsError(err, 'ConditionalCheckFailedException')) return null;
  return { item: toNative((err as { Item?: unknown }).Item) };
}

export interface CancellationReason {
  /** 'None', 'ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError', … */
  code: string;
  /** The item as it was, for a failed condition of an entry that asked for ALL_OLD. */
  item?: Record<string, unknown>;
}

/** The per-entry reasons of a cancelled transaction (in the order of TransactItems), or null. */
export function cancellationReasons(err: unknown): CancellationReason[] | null {
  if (!isAwsError(err, 'TransactionCanceledException')) return null;
  const reasons = (err as { CancellationReasons?: { Code?: string; Item?: unknown }[] }).CancellationReasons;
  return (reasons ?? []).map((r) => ({ code: r.Code ?? 'None', item: toNative(r.Item) }));
}

const RETRYABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
]);
const RETRYABLE_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/**
 * True for what DynamoDB may accept when asked again: throttling, a transaction that lost a conflict
 * with another one on the same item, an internal error. A cancellation is retryable only when no
 * entry failed its condition (a condition is an answer, not a failure).
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err === 'object' && err !== null && RETRYABLE_ERRORS.has((err as { name?: string }).name ?? ''))
    return true;
  const reasons = cancellationReasons(err);
  if (!reasons) return false;
  return (
    reasons.some((r) => RETRYABLE_REASONS.has(r.code)) &&
    !reasons.some((r) => r.code === 'ConditionalCheckFailed')
  );
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Stop retrying once this much time has passed since the first try (fits the function's timeout). */
  deadlineMs?: number;
  retryable?: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Full jitter: a random pause up to base × 2^(retry − 1), capped, before try `attempt` (1-based). */
export function jitteredDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return attempt <= 1 ? 0 : Math.random() * Math.min(capMs, baseMs * 2 ** (attempt - 2));
}

/** The pause before try `attempt` of a batch loop (none before the first). */
export function backoffPause(attempt: number, baseMs = 20, capMs = 1_000): Promise<void> {
  return attempt <= 1 ? Promise.resolve() : defaultSleep(jitteredDelayMs(attempt, baseMs, capMs));
}

/**
 * Runs `op`, and runs it again after a full-jitter exponential pause while it fails with something
 * retryable, within `attempts` and `deadlineMs`. The last error is thrown as it was.
 */
export async function withRetries<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  const base = opts.baseDelayMs ?? 20;
  const cap = opts.maxDelayMs ?? 1_000;
  const deadline = Date.now() + (opts.deadlineMs ?? 10_000);
  const retryable = opts.retryable ?? isRetryable;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const pause = jitteredDelayMs(attempt + 1, base, cap);
      if (attempt >= attempts || !retryable(err) || Date.now() + pause > deadline) throw err;
      await sleep(pause);
    }
  }
}

/** An UpdateItem guarded by its condition: true when it was written, false when the condition refused it. */
export async function updateIf(db: Db, input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
  try {
    await db.doc.send(new UpdateCommand({ TableName: db.table, ...input }));
    return true;
  } catch (err) {
    if (conditionFailure(err)) return false;
    throw err;
  }
}

/** A key of the single table. */
export type TableKey = { pk: string; sk: string };

/** One string per table key (for sets and maps of keys). */
export const tableKeyId = (k: TableKey): string => `${k.pk}\u0000${k.sk}`;

/** DynamoDB's limit on the keys of one BatchGetItem. */
export const MAX_BATCH_GET_KEYS = 100;

/**
 * Reads items by key, in BatchGetItem requests of at most 100 distinct keys, one after another;
 * answers them in the order of `keys` (undefined where absent), keys stripped. Keys DynamoDB leaves
 * unprocessed (throttling) are asked for again after a pause; keys still unprocessed after the tries
 * throw (retryable), never pass for absent items.
 */
export async function getItems<T = Record<string, unknown>>(
  db: Db,
  keys: TableKey[],
  opts: {
    consistent?: boolean;
    attempts?: number;
    /** Read only these attributes (the keys are always read): a smaller answer, the same read units. */
    attributes?: readonly string[];
  } = {},
): Promise<(T | undefined)[]> {
  const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  const found = new Map<string, Record<string, unknown>>();
  const distinct = [...new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }])).values()];
  const attempts = opts.attempts ?? 8;
  const projection = opts.attributes ? projectionOf(['pk', 'sk', ...opts.attributes]) : {};
  for (let i = 0; i < distinct.length; i += MAX_BATCH_GET_KEYS) {
    let pending = distinct.slice(i, i + MAX_BATCH_GET_KEYS);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > attempts) throw new Error(`DynamoDB left ${pending.length} keys unprocessed`);
      await backoffPause(attempt);
      const res = await db.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [db.table]: { Keys: pending, ConsistentRead: opts.consistent ?? false, ...projection },
          },
        }),
      );
      for (const item of res.Responses?.[db.table] ?? []) found.set(id(item), item);
      pending = (res.UnprocessedKeys?.[db.table]?.Keys ?? []) as TableKey[];
    }
  }
  return keys.map((k) => stripKeys<T>(found.get(id(k))));
}

/**
 * A ProjectionExpression of these attributes, each through an expression attribute name (so reserved
 * words such as `status` need no care).
 */
export function projectionOf(attributes: readonly string[]): {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
} {
  const distinct = [...new Set(attributes)];
  return {
    ProjectionExpression: distinct.map((_, i) => `#p${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(distinct.map((a, i) => [`#p${i}`, a])),
  };
}
