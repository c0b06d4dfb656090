import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent, HttpResponse, WroInternal } from '../../../../lib/http/context.ts';
import { errorEnvelope } from '../../../../lib/http/middleware/error-envelope.ts';
import { jsonBody } from '../../../../lib/http/middleware/json-body.ts';
import { rateLimit } from '../../../../lib/http/middleware/rate-limit.ts';
import { findRoute } from '../../../../lib/http/routes.ts';
import { account, bodyOf, context, fakeLogger, httpEvent } from '../harness.ts';

/**
 * docs/platform.md, "Order of checks": the rate limit's verdict is started, not awaited, so errors found
 * while it is pending (413, 415, unparsable JSON) must still lose to a 429.
 */
function stack(allowed: boolean) {
  const consume = vi.fn(async () => ({
    allowed,
    limit: 10,
    remaining: 0,
    resetSeconds: 7,
    windowSeconds: 60,
  }));
  const handler = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
    .use(errorEnvelope(findRoute('projects.create'), { logger: fakeLogger() }))
    .use({
      before: (r) => {
        r.internal.state.principal = account();
      },
    })
    .use(rateLimit({ consume, scannerLimit: 100 }))
    .use(jsonBody())
    .handler(async () => ({ statusCode: 201, body: '{}' }));
  return handler;
}

describe('order of checks', () => {
  it.each([
    ['415 (not JSON)', { 'content-type': 'text/plain' }, 'hello'],
    ['422 (unparsable JSON)', { 'content-type': 'application/json' }, '{"name":'],
    ['413 (too large)', { 'content-type': 'application/json' }, 'x'.repeat(6 * 1024 * 1024 + 1)],
  ])('a refused rate limit answers 429 over %s', async (_case, headers, body) => {
    const res = await stack(false)(httpEvent({ headers, body }), context);
    expect(res.statusCode).toBe(429);
    expect(bodyOf(res).error.code).toBe('RATE_LIMITED');
    expect(res.headers?.['Retry-After']).toBe('7');
  });

  it('within the limit, the body error answers', async () => {
    const res = await stack(true)(
      httpEvent({ headers: { 'content-type': 'text/plain' }, body: 'x' }),
      context,
    );
    expect(res.statusCode).toBe(415);
  });
});
