import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Principal } from '../auth/principal.ts';
import type { IdempotencyKey } from '../db/idempotency-store.ts';
import type { RouteDef } from './routes/route.ts';

export type { AccountPrincipal, Principal } from '../auth/principal.ts';

/** What the middlewares learn about one request. It lives in Middy's `request.internal.state`. */
export interface RequestState {
  route: RouteDef;
  requestId: string;
  startedAt: number;
  principal: Principal;
  /** Decoded raw body ('' when none). */
  rawBody: string;
  /** Parsed JSON body (undefined when the route takes none). */
  json?: unknown;
  /** Headers added to every response of this request (rate-limit state). */
  responseHeaders: Record<string, string>;
  /**
   * Checks that earlier middlewares started without waiting for them (the rate limit's counter write),
   * so they share a round trip with the idempotency claim. Each rejects with the error to answer.
   * The idempotency middleware waits for them before it acts on its claim.
   */
  admission: Promise<void>[];
  /** The validated request, or the validation error to answer once admission has passed. */
  input?: { ok: true; value: ValidatedInput } | { ok: false; error: unknown };
  /** A read the route started alongside admission (its `preload`), awaited by the route itself. */
  preloaded?: Promise<unknown>;
  /** Set by the idempotency middleware when this request owns a claim; `done` once it holds the answer. */
  claim?: { key: IdempotencyKey; claimId: string; fingerprint: string; done: boolean };
}

export interface ValidatedInput {
  body: unknown;
  query: unknown;
  params: Record<string, unknown>;
}

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type WroInternal = { state: RequestState };
export type WroRequest = middy.Request<HttpEvent, HttpResponse, Error, Context, WroInternal>;
export type WroMiddleware = middy.MiddlewareObj<HttpEvent, HttpResponse, Error, Context, WroInternal>;

/** Header lookup; API Gateway v2 already lowercases names, the local server does the same. */
export function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()] ?? undefined;
}
