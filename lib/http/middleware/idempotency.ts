import { createHash } from 'node:crypto';
import { principalName } from '../../auth/principal.ts';
import type { IdempotencyKey, IdempotencyStore, StoredResponse } from '../../db/idempotency-store.ts';
import { keys } from '../../db/keys.ts';
import {
  IdempotencyInProgressError,
  IdempotencyKeyRequiredError,
  IdempotencyKeyReusedError,
  ValidationError,
} from '../../errors.ts';
import type { AppLogger as Logger } from '../../logger.ts';
import {
  type HttpResponse,
  header,
  type RequestState,
  type WroMiddleware,
  type WroRequest,
} from '../context.ts';
import { errorResponse } from '../response.ts';
import { finalizeResponse } from './error-envelope.ts';
import { admitted } from './rate-limit.ts';

/** What an Idempotency-Key may be (the OpenAPI document states the same pattern). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Encrypts stored answers that carry a secret; `aad` binds a sealed answer to its record. */
export interface ResponseSealer {
  seal(plaintext: string, aad: string): Promise<string>;
  open(sealed: string, aad: string): Promise<string>;
}

export interface IdempotencyDeps {
  store: IdempotencyStore;
  /** Present on routes whose answers carry a secret (route table: `sealedResponse`). */
  sealer?: ResponseSealer;
  logger: Logger;
}

/**
 * Validation failures (422) and server errors (5xx) are not stored: the caller may fix and retry.
 * Every other outcome of an executed request is stored and replayed.
 */
export function isStoredOutcome(statusCode: number): boolean {
  return statusCode < 500 && statusCode !== 422;
}

/** The answer as the record keeps it: sealed when the route's answers carry a secret. */
export async function toStored(
  response: HttpResponse,
  key: IdempotencyKey,
  sealer: ResponseSealer | undefined,
): Promise<StoredResponse> {
  const headers = { ...(response.headers as Record<string, string> | undefined) };
  const body = String(response.body ?? '');
  const statusCode = response.statusCode ?? 200;
  return sealer
    ? { statusCode, headers, sealed_body: await sealer.seal(body, key.pk) }
    : { statusCode, headers, body };
}

/** A stored answer, as replayed: the same status and body, marked `Idempotent-Replayed: true`. */
export async function replayed(
  stored: StoredResponse,
  key: IdempotencyKey,
  sealer: ResponseSealer | undefined,
): Promise<HttpResponse> {
  let body = stored.body ?? '';
  if (stored.sealed_body !== undefined) {
    if (!sealer) throw new Error('A sealed idempotency record was read by a route that cannot open it.');
    body = await sealer.open(stored.sealed_body, key.pk);
  }
  return {
    statusCode: stored.statusCode,
    body,
    headers: { ...stored.headers, 'Idempotent-Replayed': 'true' },
  };
}

/** Nesting deeper than this is fingerprinted by its bytes (a hostile body cannot exhaust the stack). */
const MAX_CANONICAL_DEPTH = 64;

/**
 * JSON with every object's keys sorted: the same meaning gives the same text, whatever the spacing.
 * Undefined for a value nested deeper than MAX_CANONICAL_DEPTH.
 */
export function canonicalJson(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_CANONICAL_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((v) => canonicalJson(v, depth + 1));
    return parts.includes(undefined) ? undefined : `[${parts.join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const parts = entries.map(([k, v]) => {
      const inner = canonicalJson(v, depth + 1);
      return inner === undefined ? undefined : `${JSON.stringify(k)}:${inner}`;
    });
    return parts.includes(undefined) ? undefined : `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a key is bound to: method, path and the request's meaning — the parsed JSON body with sorted
 * keys, so added white space or reordered keys are the same request (docs/platform.md); a body that is
 * not JSON, or nested deeper than MAX_CANONICAL_DEPTH, counts by its bytes.
 */
function fingerprintOf(request: WroRequest, state: RequestState): string {
  const body = (state.json !== undefined ? canonicalJson(state.json) : undefined) ?? state.rawBody;
  return createHash('sha256')
    .update(`${request.event.requestContext?.http?.method ?? ''} ${request.event.rawPath ?? ''}\n`)
    .update(body)
    .digest('hex');
}

function keyProblem(key: string | undefined): Error | undefined {
  if (key === undefined || key === '') return new IdempotencyKeyRequiredError();
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return new ValidationError([
      { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters without spaces' },
    ]);
  }
  return undefined;
}

/**
 * The Idempotency-Key contract (docs/platform.md, "Idempotency"), scoped to caller + route + key and
 * backed by conditional writes. The claim is taken here; a route that changes state completes it in
 * the same transaction as its effect (lib/http/commit.ts), so a crash can never leave an effect
 * without its stored answer. Answers without an effect (errors, replays of terminal states) are
 * completed here, after the route ran.
 *
 * Written here rather than with Powertools' idempotency utility because the contract needs the
 * completion inside the effect's transaction, per-outcome storage rules, a body-mismatch 422, a 409
 * with Retry-After, sealed answers, and a claim that only its owner may release (the Powertools Middy
 * middleware let a rejected duplicate release the original's lock, powertools-lambda-typescript#5675).
 */
export function idempotency(deps: IdempotencyDeps): WroMiddleware {
  const { store, sealer, logger } = deps;
  /** An answer given without the commit: stored with the claim, or the claim released (422, 5xx). */
  const settle = async (claim: NonNullable<RequestState['claim']>, response: HttpResponse) => {
    if (!isStoredOutcome(response.statusCode ?? 200)) return store.release(claim.key, claim.claimId);
    const stored = await store.complete(
      claim.key,
      claim.claimId,
      await toStored(response, claim.key, sealer),
    );
    if (!stored) logger.warn('idempotency claim was lost before completion (lock expired)');
  };
  return {
    before: async (request: WroRequest) => {
      const state = request.internal.state;
      if (!state.route.idempotent) return;
      // A signed callback's key is its webhook-id, checked by authentication already (route table: replayKey).
      const key = header(request.event, state.route.replayKey?.header ?? 'idempotency-key');
      const problem = keyProblem(key);
      if (problem) {
        await admitted(state);
        throw problem;
      }
      const itemKey = keys.idempotency(principalName(state.principal), state.route.name, key as string);
      const fingerprint = fingerprintOf(request, state);
      const claiming = store.claim(itemKey, fingerprint);
      claiming.catch(() => {}); // awaited below, after admission; this keeps it from counting as unhandled
      try {
        await admitted(state);
      } catch (refusal) {
        // Refused before it ran (rate limit): a claim taken meanwhile is given back at once.
        const result = await claiming.catch(() => undefined);
        if (result?.kind === 'claimed') await store.release(itemKey, result.claimId).catch(() => {});
        throw refusal;
      }
      const result = await claiming;
      switch (result.kind) {
        case 'claimed':
          state.claim = { key: itemKey, claimId: result.claimId, fingerprint, done: false };
          return;
        case 'mismatch':
          throw new IdempotencyKeyReusedError();
        case 'in_progress':
          throw new IdempotencyInProgressError(result.retryAfterSeconds);
        case 'replay':
          return finalizeResponse(state, await replayed(result.response, itemKey, sealer));
      }
    },
    after: async (request: WroRequest) => {
      const claim = request.internal.state.claim;
      if (claim && !claim.done) await settle(claim, request.response as HttpResponse);
    },
    onError: async (request: WroRequest) => {
      const state = request.internal.state as RequestState | undefined;
      const claim = state?.claim;
      if (!state || !claim || claim.done) return; // only the owner of an open claim ever touches it
      state.claim = undefined;
      // The error being answered matters more than this bookkeeping: if it fails, the claim's lock
      // simply expires (WRO_IDEMPOTENCY_LOCK_SECONDS) and the key becomes usable again.
      await settle(claim, errorResponse(request.error, state.requestId)).catch((err: Error) =>
        logger.error('idempotency record update failed', { error_name: err.name }),
      );
    },
  };
}
