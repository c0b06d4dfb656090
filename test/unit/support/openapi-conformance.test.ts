import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../infra/local/http-server.ts';
import { buildOpenApiDocument } from '../../../lib/openapi.ts';
import { conformanceChecker } from '../../support/openapi-conformance.ts';

const checker = conformanceChecker(buildOpenApiDocument());
const PROJECT = 'prj_0123456789abcdef01234567';

const project = {
  id: PROJECT,
  name: 'Example',
  base_url: 'https://example.com',
  created_at: '2026-12-02T00:00:00.000Z',
};
const headers = {
  'content-type': 'application/json',
  'x-request-id': 'req-1',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  ratelimit: '"default";r=9;t=60',
  'ratelimit-policy': '"default";q=10;w=60',
};
function exchange(over: Partial<Exchange> & { json?: unknown } = {}): Exchange {
  const { json = project, ...rest } = over;
  return {
    method: 'GET',
    url: `/api/projects/${PROJECT}`,
    requestHeaders: { authorization: 'Bearer t' },
    requestBody: Buffer.alloc(0),
    status: 200,
    responseHeaders: headers,
    responseBody: Buffer.from(JSON.stringify(json)),
    ...rest,
  };
}
const envelope = (code: string) => ({ error: { code, message: 'm', request_id: 'req-1' } });

describe('the OpenAPI conformance check of the end-to-end suite', () => {
  it('passes an answer that matches the document, compressed or not', () => {
    expect(checker.check(exchange())).toEqual([]);
    expect(
      checker.check(
        exchange({
          responseHeaders: { ...headers, 'content-encoding': 'gzip', vary: 'Accept-Encoding' },
          responseBody: gzipSync(JSON.stringify(project)),
        }),
      ),
    ).toEqual([]);
    expect(checker.check(exchange({ status: 404, json: envelope('NOT_FOUND') }))).toEqual([]);
  });

  it.each([
    [
      'an undeclared status',
      exchange({ status: 402, json: envelope('SCAN_CREDITS_EXHAUSTED') }),
      'status 402 is not declared',
    ],
    ['a body off its schema', exchange({ json: { ...project, id: 7 } }), 'body /id must be string'],
    [
      'a code its status does not list',
      exchange({ status: 404, json: envelope('FORBIDDEN') }),
      'must be equal to one of the allowed values',
    ],
    [
      'an undeclared API header',
      exchange({ responseHeaders: { ...headers, 'idempotent-replayed': 'true' } }),
      'header idempotent-replayed is not declared',
    ],
    [
      'a missing required header',
      exchange({ responseHeaders: { ...headers, 'cache-control': undefined as unknown as string } }),
      'required header Cache-Control is missing',
    ],
    [
      'a header value off its schema',
      exchange({ responseHeaders: { ...headers, 'x-content-type-options': 'sniff' } }),
      'header X-Content-Type-Options',
    ],
    [
      'an accepted request the document refuses',
      exchange({
        method: 'POST',
        url: '/api/projects',
        requestHeaders: { 'idempotency-key': 'has space' },
        requestBody: Buffer.from(JSON.stringify({ name: 'x', base_url: 'https://example.com' })),
        status: 201,
      }),
      'the server accepted a request the document refuses: header parameter Idempotency-Key',
    ],
  ])('reports %s', (_what, x, expected) => {
    expect(checker.check(x).join('\n')).toContain(expected);
  });

  it('leaves the fallback (unknown paths, other methods) and preflights alone', () => {
    expect(
      checker.check(exchange({ url: '/api/nothing', status: 404, json: envelope('NOT_FOUND') })),
    ).toEqual([]);
    expect(
      checker.check(exchange({ method: 'OPTIONS', status: 204, responseBody: Buffer.alloc(0) })),
    ).toEqual([]);
  });
});
