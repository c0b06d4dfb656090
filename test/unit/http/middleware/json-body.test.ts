import { gzipSync } from 'node:zlib';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResponse, WroInternal } from '../../../../lib/http/context.ts';
import { errorEnvelope } from '../../../../lib/http/middleware/error-envelope.ts';
import { jsonBody, MAX_BODY_BYTES } from '../../../../lib/http/middleware/json-body.ts';
import { findRoute } from '../../../../lib/http/routes.ts';
import { bodyOf, context, fakeLogger, httpEvent } from '../harness.ts';

/** The body as the route sees it: parsed JSON and the text its idempotency fingerprint is made of. */
const handler = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
  .use(errorEnvelope(findRoute('projects.create'), { logger: fakeLogger() }))
  .use(jsonBody())
  .handler(async () => ({ statusCode: 201, body: '{}' }));

function seen() {
  let state: { json?: unknown; rawBody?: string } = {};
  const h = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
    .use(errorEnvelope(findRoute('projects.create'), { logger: fakeLogger() }))
    .use(jsonBody())
    .use({
      before: (r) => {
        state = r.internal.state;
      },
    })
    .handler(async () => ({ statusCode: 201, body: '{}' }));
  return { h, state: () => state };
}

const gzipped = (text: string | Buffer, encoding = 'gzip') =>
  httpEvent({
    headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    body: gzipSync(text).toString('base64'),
    isBase64Encoded: true,
  });

describe('JSON bodies with Content-Encoding', () => {
  it('decompresses gzip (and x-gzip): the route sees the JSON, the fingerprint the text', async () => {
    for (const coding of ['gzip', 'x-gzip', ' GZIP ']) {
      const { h, state } = seen();
      const res = await h(gzipped('{"name":"Example","base_url":"https://example.com"}', coding), context);
      expect(res.statusCode).toBe(201);
      expect(state().json).toEqual({ name: 'Example', base_url: 'https://example.com' });
      expect(state().rawBody).toBe('{"name":"Example","base_url":"https://example.com"}');
    }
  });

  it('takes exactly 6 MB decompressed, and refuses one byte more with 413 (a small gzip bomb included)', async () => {
    const json = (n: number) => `{"pad":"${'a'.repeat(n - 10)}"}`;
    expect(Buffer.byteLength(json(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await handler(gzipped(json(MAX_BODY_BYTES)), context)).statusCode).toBe(201);
    const over = await handler(gzipped(json(MAX_BODY_BYTES + 1)), context);
    expect(over.statusCode).toBe(413);
    const bomb = gzipped(Buffer.alloc(200 * 1024 * 1024)); // 200 MB of zeros in ~200 KB
    expect(Buffer.from(bomb.body as string, 'base64').length).toBeLessThan(300 * 1024);
    const res = await handler(bomb, context);
    expect(res.statusCode).toBe(413);
    expect(bodyOf(res).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses other codings and bytes that are not gzip with 415', async () => {
    const br = await handler(gzipped('{}', 'br'), context);
    expect(br.statusCode).toBe(415);
    expect(bodyOf(br).error.message).toContain('br');
    const notGzip = await handler(
      httpEvent({
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: Buffer.from('{"name":"plain"}').toString('base64'),
        isBase64Encoded: true,
      }),
      context,
    );
    expect(notGzip.statusCode).toBe(415);
    expect(bodyOf(notGzip).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('treats identity as no coding', async () => {
    const res = await handler(
      httpEvent({
        headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
        body: '{"name":"x"}',
      }),
      context,
    );
    expect(res.statusCode).toBe(201);
  });
});
