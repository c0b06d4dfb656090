import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import type { AccountPrincipal, HttpEvent, HttpResponse } from '../../../lib/http/context.ts';
import type { AppLogger as Logger } from '../../../lib/logger.ts';

/** What the HTTP unit tests share: API Gateway v2 events, a Lambda context, a logger that records. */

export function httpEvent(
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    requestId?: string;
  } = {},
): HttpEvent {
  const method = opts.method ?? 'POST';
  const path = opts.path ?? '/api/projects';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: opts.headers ?? {},
    body: opts.body,
    requestContext: { requestId: opts.requestId ?? 'req-1', http: { method, path } },
    isBase64Encoded: opts.isBase64Encoded ?? false,
  } as unknown as HttpEvent;
}

/** No getRemainingTimeInMillis: Middy's early-timeout plugin stays off. */
export const context = { awsRequestId: 'aws-1' } as unknown as Context;

export function fakeLogger() {
  const calls = {
    debug: vi.fn(),
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
  };
  return Object.assign(calls, { asLogger: calls as Logger });
}

export const account = (over: Partial<AccountPrincipal> = {}): AccountPrincipal => ({
  kind: 'account',
  accountId: 'acc_1',
  tokenId: 'tok_1',
  scopes: ['projects:read', 'projects:write'],
  plan: 'team',
  ...over,
});

export function bodyOf(res: HttpResponse): any {
  return JSON.parse(String(res.body));
}

/** A promise and its resolve, to hold a handler mid-request. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
