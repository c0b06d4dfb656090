import { NotFoundError } from '../../errors.ts';
import { parseOrThrow } from '../../schemas/parse.ts';
import type { ValidatedInput, WroMiddleware, WroRequest } from '../context.ts';
import { PATH_PARAMS, pathParamNames, type RouteDef } from '../routes/route.ts';

/**
 * Validates path parameters, body and query with the route table's schemas, and starts the route's preload read with
 * the valid input, so that read shares a round trip with the rate limit and the idempotency claim. A
 * validation failure is kept and answered once admission passed, so a refusal (429), a reused key
 * (422 IDEMPOTENCY_KEY_REUSED) or a replay still take precedence as before.
 */
/** The path's parameters by their schemas; one that does not fit names no resource (404). */
function parseParams(path: string, raw: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of pathParamNames(path)) {
    const { schema, resource } = PATH_PARAMS[name];
    const parsed = schema().safeParse(raw[name] ?? '');
    if (!parsed.success) throw new NotFoundError(`${resource} not found.`);
    out[name] = parsed.data;
  }
  return out;
}

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
              ? parseOrThrow(route.body(), state.json)
              : undefined,
          query: route.query ? parseOrThrow(route.query(), request.event.queryStringParameters ?? {}) : {},
          params: parseParams(route.path, request.event.pathParameters ?? {}),
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
