import { parseOrThrow } from '../../schemas/parse.ts';
import type { ValidatedInput, WroMiddleware, WroRequest } from '../context.ts';
import type { RouteDef } from '../routes.ts';

/**
 * Validates body and query with the route entry's schemas, and starts the route's preload read with
 * the valid input, so that read shares a round trip with the rate limit and the idempotency claim. A
 * validation failure is kept and answered once admission passed, so a refusal (429), a reused key
 * (422 IDEMPOTENCY_KEY_REUSED) or a replay still take precedence as before.
 */
export function validateRequest(
  route: RouteDef,
  preload?: (input: ValidatedInput) => Promise<unknown>,
): WroMiddleware {
  return {
    before: (request: WroRequest) => {
      const state = request.internal.state;
      try {
        const value: ValidatedInput = {
          body: route.parseBody
            ? route.parseBody(state.json)
            : route.body
              ? parseOrThrow(route.body, state.json)
              : undefined,
          query: route.query ? parseOrThrow(route.query, request.event.queryStringParameters ?? {}) : {},
          params: (request.event.pathParameters ?? {}) as Record<string, string>,
        };
        state.input = { ok: true, value };
        if (preload) {
          const read = preload(value);
          read.catch(() => {}); // awaited by the route; this keeps a rejection from counting as unhandled
          state.preloaded = read;
        }
      } catch (error) {
        state.input = { ok: false, error };
      }
    },
  };
}
