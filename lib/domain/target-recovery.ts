import type { Db } from '../db/client.ts';
import type { WritePlan } from '../db/commit.ts';
import { MAX_TRANSACTION_ITEMS } from '../db/commit.ts';
import { findRecoverableExports } from '../db/deliveries-store.ts';
import { type TargetItem, usableTargetCheck } from '../db/targets-store.ts';
import { requeueExportWrite } from '../db/ticket-exports-store.ts';
import { ConflictError } from '../errors.ts';
import type { TargetRecoveryView } from '../schemas/responses.ts';
import { type AccountRef, getOwnedTarget } from './targets.ts';
import { unusableTarget } from './ticket-exports.ts';

/**
 * Exports one call recovers: with the target check and the request's idempotency record they fill
 * one transaction (docs/ticket-exports.md, "Recover a target's exports").
 */
export const MAX_RECOVERED_PER_CALL = MAX_TRANSACTION_ITEMS - 2;

/**
 * Recovery of a target: every export of it created at or after `since` whose round ended failed or
 * blocked starts a new round to the same target, with its delivery id, in ONE transaction with a
 * check that the target is usable. `more` tells the caller to send the request again for the rest.
 */
export async function planRecoverTarget(
  db: Db,
  account: AccountRef,
  targetId: string,
  since: string,
): Promise<WritePlan<TargetRecoveryView>> {
  // Another account's target is a 404 like the target itself; then it must be usable for exports.
  const target = await getOwnedTarget(db, account.accountId, targetId, true);
  const refusal = unusableTarget(target, account);
  if (refusal) throw refusal;
  const sinceIso = new Date(since).toISOString();
  const { items, more } = await findRecoverableExports(db, targetId, sinceIso, MAX_RECOVERED_PER_CALL);
  const nowMs = Date.now();
  const at = new Date(nowMs).toISOString();
  const writes = items.map((e) =>
    requeueExportWrite(db, {
      exportId: e.id,
      accountId: account.accountId,
      seenUpdatedAt: e.updated_at,
      at,
      nowMs,
      targetId,
      createdAt: e.created_at,
    }),
  );
  return {
    writes: [...writes, usableTargetCheck(db, targetId, account.accountId)],
    result: { target_id: targetId, since: sinceIso, recovered: items.map((e) => e.id), more },
    onConditionFailed: ({ index, item }) => {
      if (index === writes.length) {
        throw (
          unusableTarget(item as Partial<TargetItem>, account) ??
          new ConflictError('The target changed while this request ran; send it again.')
        );
      }
      // An export moved on (a retry, another recovery) since the list was read: nothing was written.
      throw new ConflictError('An export of the target changed while this request ran; send it again.');
    },
  };
}
