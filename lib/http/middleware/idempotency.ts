import { createHash } from 'node:crypto';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  type StoredResponse,
} from '../../db/idempotency-store.ts';
import { keys } from '../../db/keys.ts';
import {
  IdempotencyInProgressError,
  IdempotencyKeyRequiredError,
  IdempotencyKeyReusedError,
  ValidationError,
} from '../../errors.ts';
import { logger } from '../../logger.ts';
import { runtime } from '../../runtime.ts';
import { type HttpResponse, header, type WroMiddleware, type WroRequest } from '../context.ts';
import { errorResponse } from '../response.ts';
import { finalizeResponse } from './frame.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Validation failures (422) and server errors (5xx) are not stored: the caller may fix and retry.
 * Every other outcome of an executed request is stored and replayed.
 */
export function isStoredOutcome(statusCode: number): boolean {
  return statusCode < 500 && statusCode !== 422;
}

function toStored(response: HttpResponse): StoredResponse {
  const headers = { ...(response.headers as Record<string, string> | undefined) };
  return { statusCode: response.statusCode ?? 200, headers, body: String(response.body ?? '') };
}

/**
 * The Idempotency-Key contract of SPEC §9, scoped to caller + route + key and backed by conditional
 * writes. Written here rather than with Powertools' idempotency utility because §9 needs per-outcome
 * storage rules, a body-mismatch 422, a 409 with Retry-After, and a claim that only its owner may
 * release (the Powertools Middy middleware let a rejected duplicate release the original's lock,
 * powertools-lambda-typescript#5675).
 */
export function idempotency(): WroMiddleware {
  return {
    before: async (request: WroRequest) => {
      const state = request.context.wro;
      if (!state.route.idempotent) return;
      const key = header(request.event, 'idempotency-key');
      if (key === undefined || key === '') throw new IdempotencyKeyRequiredError();
      if (!KEY_PATTERN.test(key)) {
        throw new ValidationError([
          { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters without spaces' },
        ]);
      }
      const { principal } = state;
      const scope = principal.kind === 'account' ? principal.accountId : principal.kind;
      const itemKey = keys.idempotency(scope, state.route.name, key);
      const fingerprint = createHash('sha256')
        .update(`${request.event.requestContext?.http?.method ?? ''} ${request.event.rawPath ?? ''}\n`)
        .update(state.rawBody)
        .digest('hex');
      const rt = runtime();
      const result = await claimIdempotencyKey(rt.db, itemKey, fingerprint, {
        ttlSeconds: rt.config.idempotencyTtlSeconds,
        lockSeconds: rt.config.idempotencyLockSeconds,
      });
      switch (result.kind) {
        case 'claimed':
          state.idempotency = { key: itemKey, claimId: result.claimId };
          return;
        case 'mismatch':
          throw new IdempotencyKeyReusedError();
        case 'in_progress':
          throw new IdempotencyInProgressError(result.retryAfterSeconds);
        case 'replay': {
          const { statusCode, headers, body } = result.response;
          return finalizeResponse(state, {
            statusCode,
            body,
            headers: { ...headers, 'Idempotent-Replayed': 'true' },
          });
        }
      }
    },
    after: async (request: WroRequest) => {
      const claim = request.context.wro.idempotency;
      if (!claim) return;
      const response = request.response as HttpResponse;
      const db = runtime().db;
      if (!isStoredOutcome(response.statusCode ?? 200)) {
        await releaseIdempotencyKey(db, claim.key, claim.claimId);
        return;
      }
      const stored = await completeIdempotencyKey(db, claim.key, claim.claimId, toStored(response));
      if (!stored) logger.warn('idempotency claim was lost before completion (lock expired)');
    },
    onError: async (request: WroRequest) => {
      const state = request.context.wro;
      const claim = state?.idempotency;
      if (!claim) return; // only the owner of a claim ever touches it
      state.idempotency = undefined;
      const db = runtime().db;
      const response = errorResponse(request.error, state.requestId);
      // The error being answered matters more than this bookkeeping: if it fails, the claim's lock
      // simply expires (WRO_IDEMPOTENCY_LOCK_SECONDS) and the key becomes usable again.
      await (isStoredOutcome(response.statusCode ?? 500)
        ? completeIdempotencyKey(db, claim.key, claim.claimId, toStored(response))
        : releaseIdempotencyKey(db, claim.key, claim.claimId)
      ).catch((err: Error) => logger.error('idempotency record update failed', { error_name: err.name }));
    },
  };
}
