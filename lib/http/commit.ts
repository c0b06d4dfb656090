import type { Db } from '../db/client.ts';
import { type CommitOutcome, type ConditionFailure, commitWrites, type WritePlan } from '../db/commit.ts';
import { type IdempotencyRecord, type IdempotencyStore, judgeExisting } from '../db/idempotency-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../errors.ts';
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
 *   this request was written; it answers what the key now holds, judged as a new request with this
 *   body would be: a replay, 422 IDEMPOTENCY_KEY_REUSED for another body, or 409 in progress.
 */
export async function commitPlan<T>(
  deps: CommitDeps,
  state: RequestState,
  plan: WritePlan<T>,
  respond: (result: T) => RouteOutput,
): Promise<HttpResponse> {
  const response = toHttp(respond(plan.result));
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
  // The claim failing comes first: this request no longer owns its key, so whatever else failed, the
  // answer is what the key holds now (the request that took it over may have changed the state too).
  const lost = outcome.failures.find((f) => f.index === plan.writes.length);
  if (claim && lost) {
    state.claim = undefined;
    const now = Math.floor(Date.now() / 1000);
    const record = lost.item as IdempotencyRecord | undefined;
    const verdict = record ? judgeExisting(record, claim.fingerprint, now) : undefined;
    if (verdict?.kind === 'replay') return replayed(verdict.response, claim.key, deps.sealer);
    if (verdict?.kind === 'mismatch') throw new IdempotencyKeyReusedError();
    throw new IdempotencyInProgressError(verdict?.kind === 'in_progress' ? verdict.retryAfterSeconds : 1);
  }
  const business = outcome.failures[0] as ConditionFailure;
  return toHttp(respond(plan.onConditionFailed(business)));
}

/** A route's output as the HTTP answer (JSON body). */
export function toHttp(out: RouteOutput): HttpResponse {
  return jsonResponse(out.status, out.body, out.headers);
}
