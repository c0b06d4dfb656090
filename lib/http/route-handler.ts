import middy from '@middy/core';
import type { z } from 'zod';
import { loadConfigAtColdStart } from '../config.ts';
import { ForbiddenError } from '../errors.ts';
import type { HttpEvent, HttpResponse, Principal, WroContext, WroRequest } from './context.ts';
import { authenticate } from './middleware/authenticate.ts';
import { frame, logRequestEnd } from './middleware/frame.ts';
import { idempotency } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { jsonResponse } from './response.ts';
import { findRoute, type RouteName } from './routes.ts';
import { parseOrThrow } from './validate.ts';

export interface RouteInput<B> {
  body: B;
  params: Record<string, string>;
  query: Record<string, string>;
  principal: Principal;
  requestId: string;
  event: HttpEvent;
}

export interface RouteOutput {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type AccountPrincipal = Extract<Principal, { kind: 'account' }>;

/** The account behind a bearer-authenticated request. */
export function accountOf(principal: Principal): AccountPrincipal {
  if (principal.kind !== 'account') throw new ForbiddenError();
  return principal;
}

/**
 * Builds a route's Lambda handler: Middy with the shared middleware stack, in this order —
 * frame (request id, error envelope) → authenticate (+scope) → rate limit → JSON body (413/415)
 * → idempotency → body validation (zod) → the business function. Auth, scope and idempotency come
 * from the route table entry, so a handler file states only what is particular to it.
 */
export function httpRoute<S extends z.ZodType | undefined = undefined, P = undefined>(
  name: RouteName,
  opts: {
    body?: S;
    /** A custom body parser (throws ValidationError), for rules a single schema cannot express. */
    parseBody?: (json: unknown) => P;
  },
  fn: (
    input: RouteInput<P extends undefined ? (S extends z.ZodType ? z.output<S> : undefined) : P>,
  ) => Promise<RouteOutput>,
) {
  const route = findRoute(name);
  loadConfigAtColdStart();
  const business = async (event: HttpEvent, context: WroContext): Promise<HttpResponse> => {
    const state = context.wro;
    const body = opts.parseBody
      ? opts.parseBody(state.json)
      : opts.body
        ? parseOrThrow(opts.body, state.json)
        : undefined;
    const out = await fn({
      body: body as P extends undefined ? (S extends z.ZodType ? z.output<S> : undefined) : P,
      params: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      principal: state.principal,
      requestId: state.requestId,
      event,
    });
    return jsonResponse(out.status, out.body, out.headers);
  };
  return middy<HttpEvent, HttpResponse, Error, WroContext>({
    requestEnd: (request) => logRequestEnd(request as WroRequest),
  })
    .use(frame(route))
    .use(authenticate())
    .use(rateLimit())
    .use(jsonBody())
    .use(idempotency())
    .handler(business);
}
