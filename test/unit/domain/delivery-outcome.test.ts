import { describe, expect, it } from 'vitest';
import { classifyNetworkError, classifyStatus } from '../../../lib/domain/delivery-outcome.ts';
import { DeliveryNetworkError } from '../../../lib/net/pinned-request.ts';

describe('outcome classification (docs/ticket-exports.md)', () => {
  it.each([
    [200, 'success', undefined],
    [201, 'success', undefined],
    [202, 'success', undefined],
    [204, 'success', undefined],
    [299, 'success', undefined],
    [408, 'retry', 'http_request_timeout'],
    [425, 'retry', 'http_too_early'],
    [429, 'retry', 'http_rate_limited'],
    [500, 'retry', 'http_server_error'],
    [502, 'retry', 'http_server_error'],
    [503, 'retry', 'http_server_error'],
    [504, 'retry', 'http_server_error'],
    [599, 'retry', 'http_server_error'],
    [410, 'gone', 'http_gone'],
    [400, 'permanent', 'http_client_error'],
    [401, 'permanent', 'http_client_error'],
    [403, 'permanent', 'http_client_error'],
    [404, 'permanent', 'http_client_error'],
    [409, 'permanent', 'http_client_error'],
    [413, 'permanent', 'http_client_error'],
    [422, 'permanent', 'http_client_error'],
    [301, 'permanent', 'http_redirect'],
    [302, 'permanent', 'http_redirect'],
    [307, 'permanent', 'http_redirect'],
    [308, 'permanent', 'http_redirect'],
    [304, 'permanent', 'http_redirect'],
    [100, 'permanent', 'http_invalid_status'],
    [600, 'permanent', 'http_invalid_status'],
  ])('%i → %s (%s)', (status, kind, errorClass) => {
    const c = classifyStatus(status);
    expect(c.kind).toBe(kind);
    expect('errorClass' in c ? c.errorClass : undefined).toBe(errorClass);
  });

  it('timeouts and connection errors are retryable; other errors are not outcomes', () => {
    expect(classifyNetworkError(new DeliveryNetworkError('timeout', 'x'))).toEqual({
      kind: 'retry',
      errorClass: 'timeout',
    });
    expect(classifyNetworkError(new DeliveryNetworkError('connection', 'x', { code: 'ECONNRESET' }))).toEqual(
      {
        kind: 'retry',
        errorClass: 'connection_error',
      },
    );
    expect(classifyNetworkError(new Error('bug'))).toBeUndefined();
  });
});
