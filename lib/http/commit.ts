import type { Db } from '../db/client.ts';
import { type CommitOutcome, commitWrites, type WritePlan } from '../db/commit.ts';
import type { IdempotencyRecord, IdempotencyStore } from '../db/idempotency-store.ts';
import { IdempotencyInProgressError } from '../errors.ts';
import type { HttpResponse, RequestState } from './context.ts';
import { type ResponseSealer, replayed, toStored } from './middleware/idempotency.ts';
import { jsonResponse } from './response.ts';

export interface RouteOutput {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface CommitDeps {
  db: Db;
  store: IdempotencyStore;
  sealer?: ResponseSealer;
}

/** Commits a domain's write plan and answers with its result; see `commitPlan`. */
export type Commit = <T>(plan: WritePlan<T>, respond: (result: T) => RouteOutput) => Promise<HttpResponse>;

/**
 * THE place where a request's writes are committed. The plan's entries and, when the request holds an
 * Idempotency-Key claim, the completion of that claim with the answer go into ONE transaction: either
 * the effect and its stored answer both land, or neither does (docs/platform.md, "Idempotency").
 * - A failed business condition: nothing was written; the plan says what it means (an error, or an
 *   answer without a write, which the idempotency middleware then stores on its own).
 * - The claim's condition failed (its lock expired and another request took the key over): nothing of
 *   this request was written; it answers what the key now holds (a replay) or 409 in progress.
 */
export async function commitPlan<T>(
  deps: CommitDeps,
  state: RequestState,
  plan: WritePlan<T>,
  respond: (result: T) => RouteOutput,
): Promise<HttpResponse> {
  const out = respond(plan.result);
  const response = jsonResponse(out.status, out.body, out.headers);
  const claim = state.claim;
  const completion = claim
    ? deps.store.completionWrite(claim.key, claim.claimId, await toStored(response, claim.key, deps.sealer))
    : undefined;
  const outcome: CommitOutcome = await commitWrites(
    deps.db,
    completion ? [...plan.writes, completion] : plan.writes,
    { token: claim?.claimId },
  );
  if (outcome.kind === 'committed') {
    if (claim) claim.done = true;
    return response;
  }
  const business = outcome.failures.find((f) => f.index < plan.writes.length);
  if (business) {
    const other = plan.onConditionFailed(business);
    const answer = respond(other);
    return jsonResponse(answer.status, answer.body, answer.headers);
  }
  // Only the claim failed: this request no longer owns its key.
  const record = outcome.failures[0]?.item as IdempotencyRecord | undefined;
  state.claim = undefined;
  if (claim && record?.status === 'completed' && record.response) {
    return replayed(record.response, claim.key, deps.sealer);
  }
  const now = Math.floor(Date.now() / 1000);
  throw new IdempotencyInProgressError(Math.max(1, (record?.lock_expires_at ?? now + 1) - now));
}
