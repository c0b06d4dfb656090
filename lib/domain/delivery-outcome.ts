import { DeliveryNetworkError } from '../net/pinned-request.ts';
import type { AttemptErrorClass } from './delivery-vocabulary.ts';

export { ATTEMPT_ERROR_CLASSES, type AttemptErrorClass } from './delivery-vocabulary.ts';

/** Classification of one webhook attempt's result (the classes: lib/domain/delivery-vocabulary.ts). */

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
