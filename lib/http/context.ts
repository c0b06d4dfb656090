import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { PlanName } from '../domain/plans.ts';
import type { RouteDef, Scope } from './routes.ts';

export type Principal =
  | { kind: 'account'; accountId: string; tokenId: string; scopes: Scope[]; plan: PlanName }
  | { kind: 'scanner' }
  | { kind: 'anonymous' };

/** What the middlewares learn about a request, kept on the Lambda context under `wro`. */
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
  /** Set by the idempotency middleware when this request owns a claim. */
  idempotency?: { key: { pk: string; sk: string }; claimId: string };
}

export type WroContext = Context & { wro: RequestState };
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type WroRequest = middy.Request<HttpEvent, HttpResponse, Error, WroContext>;
export type WroMiddleware = middy.MiddlewareObj<HttpEvent, HttpResponse, Error, WroContext>;

/** Header lookup; API Gateway v2 already lowercases names, the local server does the same. */
export function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()] ?? undefined;
}
