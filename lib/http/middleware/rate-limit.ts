import type { RateLimitDecision } from '../../db/rate-limit-store.ts';
import { planOf } from '../../domain/plans.ts';
import { RateLimitedError } from '../../errors.ts';
import type { RequestState, WroMiddleware, WroRequest } from '../context.ts';

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, structured-field form). */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"default";q=${d.limit};w=${d.windowSeconds}`,
    RateLimit: `"default";r=${d.remaining};t=${d.resetSeconds}`,
  };
}

export interface RateLimiter {
  /** Counts one request of `subject` against `limit` in the current window. */
  consume(subject: string, limit: number): Promise<RateLimitDecision>;
  /** The scanner's limit (per scanner secret); tokens have their plan's. */
  scannerLimit: number;
}

/**
 * Per token (per plan), per target for signed callbacks (the target's account's plan) and per scanner
 * secret; anonymous routes are left to API Gateway throttling.
 * The counter write is started here and not waited for: it shares a round trip with the idempotency
 * claim and the route's preload, and the idempotency middleware (or the route, when it takes no key)
 * waits for the verdict before anything is acted on (docs/platform.md, "Order of checks").
 */
export function rateLimit(limiter: RateLimiter): WroMiddleware {
  return {
    before: (request: WroRequest) => {
      const state = request.internal.state;
      const { principal } = state;
      if (principal.kind === 'anonymous') return;
      const [subject, limit] =
        principal.kind === 'scanner'
          ? ['scanner', limiter.scannerLimit]
          : principal.kind === 'target'
            ? [`target#${principal.targetId}`, planOf(principal.plan).rateLimit]
            : [`token#${principal.tokenId}`, planOf(principal.plan).rateLimit];
      const verdict = limiter.consume(subject, limit).then((decision) => {
        const headers = rateLimitHeaders(decision);
        if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds, headers);
        Object.assign(state.responseHeaders, headers);
      });
      // Whoever waits for admission sees the rejection; this keeps it from counting as unhandled meanwhile.
      verdict.catch(() => {});
      state.admission.push(verdict);
    },
  };
}

/** Waits for every admission check started so far; the first refusal is thrown. */
export async function admitted(state: RequestState): Promise<void> {
  const checks = state.admission.splice(0);
  if (checks.length) await Promise.all(checks);
}
