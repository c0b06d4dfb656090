import { DeliveryNetworkError } from '../net/pinned-request.ts';

/**
 * Outcome classification of one webhook attempt (SPEC section 8):
 * 2xx → delivered; 408, 425, 429, 5xx, timeouts and connection errors → retry; 410 → the target is
 * gone (disable it, fail the delivery); other 4xx and 3xx (redirects are never followed) → failed.
 */
export const ATTEMPT_ERROR_CLASSES = [
  'timeout',
  'connection_error',
  'dns_error',
  'http_request_timeout',
  'http_too_early',
  'http_rate_limited',
  'http_server_error',
  'http_gone',
  'http_client_error',
  'http_redirect',
  'http_invalid_status',
  'target_disabled',
  'target_not_allowed',
  'target_url_unsafe',
  'target_missing',
  'processing_error',
] as const;
export type AttemptErrorClass = (typeof ATTEMPT_ERROR_CLASSES)[number];

export type Classification =
  | { kind: 'success' }
  | { kind: 'retry'; errorClass: AttemptErrorClass }
  | { kind: 'gone'; errorClass: 'http_gone' }
  | { kind: 'permanent'; errorClass: AttemptErrorClass };

export function classifyStatus(status: number): Classification {
  if (status >= 200 && status <= 299) return { kind: 'success' };
  if (status === 408) return { kind: 'retry', errorClass: 'http_request_timeout' };
  if (status === 425) return { kind: 'retry', errorClass: 'http_too_early' };
  if (status === 429) return { kind: 'retry', errorClass: 'http_rate_limited' };
  if (status >= 500 && status <= 599) return { kind: 'retry', errorClass: 'http_server_error' };
  if (status === 410) return { kind: 'gone', errorClass: 'http_gone' };
  if (status >= 400 && status <= 499) return { kind: 'permanent', errorClass: 'http_client_error' };
  if (status >= 300 && status <= 399) return { kind: 'permanent', errorClass: 'http_redirect' };
  return { kind: 'permanent', errorClass: 'http_invalid_status' };
}

/** Network failures carry no status; both kinds are retryable. Anything else is not an attempt outcome. */
export function classifyNetworkError(err: unknown): Classification | undefined {
  if (!(err instanceof DeliveryNetworkError)) return undefined;
  return { kind: 'retry', errorClass: err.kind === 'timeout' ? 'timeout' : 'connection_error' };
}
