import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../../lib/config.ts';
import { ConflictError } from '../../../../lib/errors.ts';
import { httpRoute } from '../../../../lib/http/route-handler.ts';
import { OPENAPI_ROUTES } from '../../../../lib/http/routes/openapi.ts';
import { logger } from '../../../../lib/logger.ts';
import { createRuntime } from '../../../../lib/runtime.ts';

/** Unused clients: these routes touch no AWS service. */
const rt = createRuntime(parseConfig({ WRO_TABLE_NAME: 'unit-test-table' }));

function event(): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /api/openapi.json',
    rawPath: '/api/openapi.json',
    rawQueryString: '',
    headers: {},
    requestContext: { requestId: 'req-123', http: { method: 'GET', path: '/api/openapi.json' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}
const context = { awsRequestId: 'aws-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

describe('error envelope', () => {
  it('answers 500 INTERNAL without internals when a handler throws an unexpected error', async () => {
    const handler = httpRoute(OPENAPI_ROUTES.openapi, async () => {
      throw new TypeError('cannot read db_password=hunter2 of undefined at /var/task/index.js:1:2');
    }).with(rt);
    const logged = vi.spyOn(logger, 'error');
    const res = await handler(event(), context as never);
    expect(res.statusCode).toBe(500);
    expect(JSON.stringify(logged.mock.calls)).toContain('[REDACTED:generic_secret]');
    expect(JSON.stringify(logged.mock.calls)).not.toContain('hunter2');
    expect(res.headers?.['Content-Type']).toBe('application/json');
    const body = JSON.parse(res.body as string);
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.request_id).toBe('req-123');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('TypeError');
    expect(res.body).not.toContain('/var/task');
  });

  it('maps typed domain errors to their status and code', async () => {
    const handler = httpRoute(OPENAPI_ROUTES.openapi, async () => {
      throw new ConflictError('The export is not pending approval.', 'EXPORT_NOT_PENDING');
    }).with(rt);
    const res = await handler(event(), context as never);
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body as string)).toEqual({
      error: {
        code: 'EXPORT_NOT_PENDING',
        message: 'The export is not pending approval.',
        request_id: 'req-123',
      },
    });
    expect(res.headers?.['X-Request-Id']).toBe('req-123');
  });
});
