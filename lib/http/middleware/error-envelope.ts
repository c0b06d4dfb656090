import { randomUUID } from 'node:crypto';
import { principalName } from '../../auth/principal.ts';
import type { AppLogger as Logger } from '../../logger.ts';
import { redactText } from '../../sanitize/redact.ts';
import type { HttpResponse, RequestState, WroMiddleware, WroRequest } from '../context.ts';
import { errorResponse } from '../response.ts';
import type { RouteDef } from '../routes/route.ts';
import { admitted } from './rate-limit.ts';

/**
 * Adds the per-request headers to any response of this request: request id, rate-limit state,
 * `X-Content-Type-Options: nosniff` everywhere, and `Cache-Control: no-store` on every authenticated
 * route (their answers are one account's data, some carry a signing secret).
 */
export function finalizeResponse(state: RequestState, response: HttpResponse): HttpResponse {
  return {
    ...response,
    headers: {
      ...state.responseHeaders,
      ...response.headers,
      'X-Content-Type-Options': 'nosniff',
      ...(state.route.auth === 'none' ? {} : { 'Cache-Control': 'no-store' }),
      'X-Request-Id': state.requestId,
    },
  };
}

/**
 * Outermost middleware: sets up the request state (request id from API Gateway) in
 * `request.internal`, and maps every error to the JSON error envelope — the one place where errors
 * become responses.
 */
export function errorEnvelope(route: RouteDef, deps: { logger: Logger }): WroMiddleware {
  return {
    before: (request: WroRequest) => {
      const requestId =
        request.event.requestContext?.requestId || request.context.awsRequestId || randomUUID();
      request.internal.state = {
        route,
        requestId,
        startedAt: Date.now(),
        principal: { kind: 'anonymous' },
        rawBody: '',
        responseHeaders: {},
        admission: [],
      };
    },
    after: (request: WroRequest) => {
      request.response = finalizeResponse(request.internal.state, request.response as HttpResponse);
    },
    onError: async (request: WroRequest) => {
      const state = request.internal.state as RequestState | undefined;
      // A refusal an admission check (the rate limit) was still deciding wins over errors found while
      // it ran (413, 415, unparsable JSON): the order of checks holds whatever threw first.
      if (state?.admission.length)
        await admitted(state).catch((refusal: unknown) => (request.error = refusal as Error));
      const requestId = state?.requestId ?? request.context.awsRequestId ?? 'unknown';
      const response = errorResponse(request.error, requestId);
      if ((response.statusCode ?? 500) >= 500) {
        const e = request.error as Error | undefined;
        // Name and redacted message only; bodies and headers are never logged.
        deps.logger.error('request failed', {
          error_name: e?.name,
          error_message: redactText(e?.message ?? ''),
        });
      }
      request.response = state ? finalizeResponse(state, response) : response;
    },
  };
}

/** Middy plugin hook: one access-log line per request, whatever path it took. */
export function logRequestEnd(request: WroRequest, logger: Logger): void {
  const state = request.internal?.state as RequestState | undefined;
  if (!state) return;
  const response = request.response as HttpResponse | undefined;
  logger.info('request', {
    method: state.route.method,
    path: state.route.path,
    status: response?.statusCode,
    duration_ms: Date.now() - state.startedAt,
    principal: principalName(state.principal),
  });
}
