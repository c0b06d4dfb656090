import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { conditionFailure, withRetries } from './dynamo.ts';
import { keys } from './keys.ts';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  windowSeconds: number;
}

/**
 * Fixed-window counter, one item per subject and window. A single conditional UpdateItem both
 * checks and counts, so concurrent requests can never be admitted past the limit (no read-then-write).
 * Throttling is retried with the code's backoff once the SDK gives up, as for every store: a counter
 * bumped twice by a retried InternalServerError only errs towards the limit (docs/platform.md,
 * "Rate limits"). Items expire through the table's TTL.
 */
export async function consumeRateLimit(
  db: Db,
  subject: string,
  limit: number,
  windowSeconds: number,
  nowMs = Date.now(),
): Promise<RateLimitDecision> {
  const now = Math.floor(nowMs / 1000);
  const windowStart = now - (now % windowSeconds);
  const resetSeconds = Math.max(1, windowStart + windowSeconds - now);
  try {
    const res = await withRetries(() =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.rateLimit(subject, windowStart),
          UpdateExpression: 'ADD #count :one SET expires_at = if_not_exists(expires_at, :exp)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'request_count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':exp': windowStart + windowSeconds * 2 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const count = Number(res.Attributes?.request_count ?? limit);
    return { allowed: true, limit, remaining: Math.max(0, limit - count), resetSeconds, windowSeconds };
  } catch (err) {
    if (conditionFailure(err)) {
      return { allowed: false, limit, remaining: 0, resetSeconds, windowSeconds };
    }
    throw err;
  }
}
