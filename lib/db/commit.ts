import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { type CancellationReason, cancellationReasons, type TransactItem, withRetries } from './dynamo.ts';

/** DynamoDB's limit on the entries of one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

export type CommitOutcome =
  | { kind: 'committed' }
  /** Nothing was written: these entries (by index into the items given) failed their conditions. */
  | { kind: 'condition_failed'; failures: ConditionFailure[] };

/**
 * Writes all items in one transaction, or none. A failed condition is an outcome, returned with the
 * current items that asked for them; throttling and transaction conflicts are retried with jittered
 * backoff. `token` (ClientRequestToken) makes a retry of a transaction that did commit, after an
 * ambiguous network failure, succeed again instead of failing its own conditions.
 */
export async function commitWrites(
  db: Db,
  items: TransactItem[],
  opts: { token?: string } = {},
): Promise<CommitOutcome> {
  if (items.length === 0) return { kind: 'committed' };
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(`A transaction holds at most ${MAX_TRANSACTION_ITEMS} items (got ${items.length}).`);
  }
  try {
    await withRetries(() =>
      db.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: opts.token })),
    );
    return { kind: 'committed' };
  } catch (err) {
    const reasons = cancellationReasons(err);
    const failures = (reasons ?? [])
      .map((r, index) => ({ index, ...r }))
      .filter((r) => r.code === 'ConditionalCheckFailed');
    if (failures.length === 0) throw err;
    return { kind: 'condition_failed', failures };
  }
}

/** One entry of a failed transaction whose condition did not hold, with the item as it was. */
export type ConditionFailure = { index: number } & CancellationReason;

/**
 * What a domain function decided to write, before anything is written: the transaction entries, the
 * result the caller answers with once they are committed, and what a failed condition means. The one
 * place that commits (lib/http/commit.ts) adds the request's idempotency completion to the same
 * transaction.
 */
export interface WritePlan<T> {
  writes: TransactItem[];
  result: T;
  /**
   * Called with the first entry whose condition failed (nothing was written). Throws the domain error
   * to answer, or returns the result to answer without a write (e.g. "already done").
   */
  onConditionFailed(failure: ConditionFailure): T;
}

/** Commits a plan outside a request (admin command, workers, tests): no idempotency record joins it. */
export async function applyPlan<T>(db: Db, plan: WritePlan<T>): Promise<T> {
  const outcome = await commitWrites(db, plan.writes);
  if (outcome.kind === 'committed') return plan.result;
  return plan.onConditionFailed(outcome.failures[0] as ConditionFailure);
}

/** For plans whose conditions only guard against id collisions: a failure is a bug, not an answer. */
export function unexpectedConditionFailure(what: string) {
  return (failure: ConditionFailure): never => {
    throw new Error(`${what}: condition of write ${failure.index} failed unexpectedly`);
  };
}
