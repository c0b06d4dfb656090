import { consumeRateLimit, type RateLimitDecision } from '../../db/rate-limit-store.ts';
import { planOf } from '../../domain/plans.ts';
import { RateLimitedError } from '../../errors.ts';
import { runtime } from '../../runtime.ts';
import type { WroMiddleware, WroRequest } from '../context.ts';

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, structured-field form). */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"default";q=${d.limit};w=${d.windowSeconds}`,
    RateLimit: `"default";r=${d.remaining};t=${d.resetSeconds}`,
  };
}

/** Per token (per plan) and per scanner secret. Anonymous routes are left to API Gateway throttling. */
export function rateLimit(): WroMiddleware {
  return {
    before: async (request: WroRequest) => {
      const state = request.context.wro;
      const { principal } = state;
      if (principal.kind === 'anonymous') return;
      const rt = runtime();
      const [subject, limit] =
        principal.kind === 'scanner'
          ? ['scanner', rt.config.scannerRateLimit]
          : [`token#${principal.tokenId}`, planOf(principal.plan).rateLimit];
      const decision = await consumeRateLimit(rt.db, subject, limit, rt.config.rateLimitWindowSeconds);
      const headers = rateLimitHeaders(decision);
      if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds, headers);
      Object.assign(state.responseHeaders, headers);
    },
  };
}
