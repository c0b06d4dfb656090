import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../lib/config.ts';
import { ConflictError } from '../../../../lib/errors.ts';
import type { HttpEvent, HttpResponse, WroInternal } from '../../../../lib/http/context.ts';
import { type Coding, chooseEncoding, compress } from '../../../../lib/http/middleware/compress.ts';
import { httpRoute } from '../../../../lib/http/route-handler.ts';
import { OPENAPI_ROUTES } from '../../../../lib/http/routes/openapi.ts';
import { createRuntime } from '../../../../lib/runtime.ts';
import { context, httpEvent } from '../harness.ts';

describe('Accept-Encoding (RFC 9110 §12.5.3)', () => {
  const cases: [string | undefined, Coding | undefined][] = [
    [undefined, undefined], // absent: the body as it is
    ['', undefined], // empty: identity only
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'], // a tie goes to br
    ['br, gzip', 'br'],
    ['gzip, deflate, br, zstd', 'br'], // what browsers send
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['gzip;q=0.001', 'gzip'], // anything above 0 is acceptable
    ['gzip;q=0', undefined], // q=0: not acceptable
    ['gzip;q=0.000, br;q=0', undefined],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['br;q=0, *', 'gzip'], // * is every coding not listed
    ['gzip;q=0, *;q=0.5', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', undefined],
    ['identity;q=0', undefined], // forbids the body as it is, but offers nothing else
    ['identity, gzip', 'gzip'], // a tie with identity compresses
    ['gzip;q=0.5, identity', undefined], // identity preferred
    ['gzip;q=0.5, identity;q=0.4', 'gzip'],
    ['deflate', undefined], // not supported
    ['compress, deflate;q=1', undefined],
    ['GZIP', 'gzip'], // case-insensitive
    ['Br;Q=1, GZip;q=0.9', 'br'],
    ['x-gzip', 'gzip'], // §8.4.1.3
    ['  gzip ;  q=0.5  ,  br ; q = 0.4 ', 'gzip'], // whitespace tolerant
    ['gzip,,, ,br', 'br'], // empty elements
    ['gzip;q=abc, br;q=0.1', 'br'], // an invalid q drops the element, not the header
    ['gzip;q=2', undefined], // above 1
    ['gzip;q=-1', undefined],
    ['gzip;q=0.5000', undefined], // four decimals
    ['gzip;q=1.001', undefined],
    ['gzip;q=', undefined],
    ['gzip;level=9', 'gzip'], // unknown parameters are ignored
    ['gzip;q=0, gzip', undefined], // listed twice: the lowest q
    ['g z i p, @@@, ;;;, ===', undefined], // junk
    ['\u0000\uffff, gzip', 'gzip'],
    ['gzip;q=0.5;q=0', undefined],
    ['br;q=1.', 'br'],
  ];
  it.each(cases)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it('never throws, whatever it is given', () => {
    const junk = ['', ';', ',', '=', ';q=', 'q=1', '*;q=*', 'a'.repeat(100_000), ',;'.repeat(10_000)];
    for (const value of [...junk, 42, null, {}, ['gzip']]) {
      expect(() => chooseEncoding(value as string)).not.toThrow();
    }
  });
});

const BIG = JSON.stringify({
  items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Issue ${i}` })),
});

/** The middleware alone, around a handler answering `response`. */
async function run(response: HttpResponse, acceptEncoding?: string): Promise<HttpResponse> {
  const handler = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
    .use(compress())
    .handler(async () => structuredClone(response));
  const headers: Record<string, string> =
    acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
  return handler(httpEvent({ method: 'GET', path: '/api/x', headers }), context);
}

const json = (body: string, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});

function decode(res: HttpResponse): string {
  const bytes = Buffer.from(String(res.body), 'base64');
  const coding = res.headers?.['Content-Encoding'];
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8');
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  throw new Error(`not compressed: ${coding}`);
}

describe('compress middleware', () => {
  it.each(['gzip', 'br'] as const)(
    'compresses a large body as %s, base64, that decodes to the original',
    async (coding) => {
      const res = await run(json(BIG), coding);
      expect(res.statusCode).toBe(200);
      expect(res.isBase64Encoded).toBe(true);
      expect(res.headers?.['Content-Encoding']).toBe(coding);
      expect(res.headers?.Vary).toBe('Accept-Encoding');
      expect(res.headers?.['Content-Type']).toBe('application/json');
      expect(Buffer.byteLength(String(res.body), 'base64')).toBeLessThan(Buffer.byteLength(BIG));
      expect(decode(res)).toBe(BIG);
    },
  );

  it('keeps multi-byte UTF-8 intact', async () => {
    const text = JSON.stringify({ note: 'Prüfung — 検査 🚀 '.repeat(200) });
    expect(decode(await run(json(text), 'gzip'))).toBe(text);
    expect(decode(await run(json(text), 'br'))).toBe(text);
  });

  it('compresses from 1024 UTF-8 bytes on: below it, no Vary and nothing changed', async () => {
    const at = 'a'.repeat(1024);
    const below = 'a'.repeat(1023);
    expect((await run(json(at), 'gzip')).headers?.['Content-Encoding']).toBe('gzip');
    const small = await run(json(below), 'gzip');
    expect(small).toEqual(json(below));
    // 342 × 3 bytes = 1026 bytes in UTF-8, though only 342 characters
    const wide = await run(json('€'.repeat(342)), 'gzip');
    expect(wide.headers?.['Content-Encoding']).toBe('gzip');
    expect(decode(wide)).toBe('€'.repeat(342));
    expect((await run(json('€'.repeat(341)), 'gzip')).headers?.Vary).toBeUndefined(); // 1023 bytes
  });

  it('adds Vary to a large answer it does not compress: no or a refused Accept-Encoding', async () => {
    for (const accept of [undefined, 'identity', 'deflate', 'gzip;q=0', 'junk;;;']) {
      const res = await run(json(BIG), accept);
      expect(res.body, String(accept)).toBe(BIG);
      expect(res.isBase64Encoded, String(accept)).toBeUndefined();
      expect(res.headers?.['Content-Encoding'], String(accept)).toBeUndefined();
      expect(res.headers?.Vary, String(accept)).toBe('Accept-Encoding');
    }
  });

  it('leaves a body that would not get smaller as it is, with Vary', async () => {
    // Random base64 text: gzip saves about a quarter, which base64 takes back and more.
    const noise = Buffer.from(Array.from({ length: 3000 }, () => Math.floor(Math.random() * 256))).toString(
      'base64',
    );
    for (const coding of ['gzip', 'br']) {
      const res = await run(json(noise, { 'Content-Type': 'text/plain' }), coding);
      expect(res.body).toBe(noise);
      expect(res.isBase64Encoded).toBeUndefined();
      expect(res.headers?.['Content-Encoding']).toBeUndefined();
      expect(res.headers?.Vary).toBe('Accept-Encoding');
    }
  });

  it('merges Vary with an existing value, whatever its case, without repeating it', async () => {
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ Vary: 'Origin' }, { Vary: 'Origin, Accept-Encoding' }],
      [{ vary: 'Origin, Cookie' }, { vary: 'Origin, Cookie, Accept-Encoding' }],
      [{ VARY: 'accept-encoding' }, { VARY: 'accept-encoding' }],
      [{ Vary: 'Origin,Accept-Encoding' }, { Vary: 'Origin,Accept-Encoding' }],
      [{ Vary: ' Origin , ACCEPT-ENCODING ' }, { Vary: ' Origin , ACCEPT-ENCODING ' }],
      [{ Vary: '*' }, { Vary: '*' }],
      [{ Vary: '' }, { Vary: 'Accept-Encoding' }],
    ];
    for (const [given, expected] of cases) {
      for (const accept of ['gzip', 'identity']) {
        const res = await run(json(BIG, given), accept);
        const vary = Object.fromEntries(Object.entries(res.headers ?? {}).filter(([k]) => /^vary$/i.test(k)));
        expect(vary, `${JSON.stringify(given)} ${accept}`).toEqual(expected);
      }
    }
  });

  it('leaves already encoded bodies alone: base64, a Content-Encoding, no string body', async () => {
    const b64 = { ...json(Buffer.from(BIG).toString('base64')), isBase64Encoded: true };
    expect(await run(b64, 'gzip')).toEqual(b64);
    for (const name of ['Content-Encoding', 'content-encoding']) {
      const encoded = json(BIG, { [name]: 'identity' });
      expect(await run(encoded, 'gzip')).toEqual(encoded);
    }
    const empty: HttpResponse = { statusCode: 204, headers: {} };
    expect(await run(empty, 'gzip')).toEqual(empty);
  });

  it('drops a Content-Length the uncompressed body had', async () => {
    const res = await run(json(BIG, { 'content-length': String(Buffer.byteLength(BIG)) }), 'gzip');
    expect(res.headers?.['Content-Encoding']).toBe('gzip');
    expect(Object.keys(res.headers ?? {}).map((k) => k.toLowerCase())).not.toContain('content-length');
  });

  it('compresses error answers too (onError)', async () => {
    const handler = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
      .use(compress())
      .use({
        onError: (request) => {
          request.response = json(BIG, { 'X-Request-Id': 'req-1' });
        },
      })
      .handler(async () => {
        throw new Error('boom');
      });
    const res = await handler(httpEvent({ headers: { 'accept-encoding': 'br' } }), context);
    expect(res.headers?.['Content-Encoding']).toBe('br');
    expect(res.headers?.['X-Request-Id']).toBe('req-1');
    expect(decode(res)).toBe(BIG);
  });
});

describe('in the route stack', () => {
  const rt = createRuntime(parseConfig({ WRO_TABLE_NAME: 'unit-test-table' }));
  const event = (method: string, acceptEncoding: string): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'GET /api/openapi.json',
      rawPath: '/api/openapi.json',
      rawQueryString: '',
      headers: { 'accept-encoding': acceptEncoding },
      requestContext: { requestId: 'req-9', http: { method, path: '/api/openapi.json' } },
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;
  const large = { message: 'x'.repeat(4000) };

  it('compresses the finalized answer, and HEAD gets the compressed Content-Length', async () => {
    const handler = httpRoute(OPENAPI_ROUTES.openapi, async () => ({ status: 200, body: large })).with(rt);
    const get = await handler(event('GET', 'gzip'), context);
    expect(get.headers?.['Content-Encoding']).toBe('gzip');
    expect(get.headers?.['X-Request-Id']).toBe('req-9'); // set by the error envelope before
    expect(JSON.parse(decode(get))).toEqual(large);
    const head = await handler(event('HEAD', 'gzip'), context);
    expect(head.body).toBe('');
    expect(head.headers?.['Content-Encoding']).toBe('gzip');
    expect(head.headers?.Vary).toBe('Accept-Encoding');
    expect(head.headers?.['Content-Length']).toBe(String(Buffer.byteLength(String(get.body), 'base64')));
  });

  it('compresses the error envelope a thrown error becomes', async () => {
    const handler = httpRoute(OPENAPI_ROUTES.openapi, async () => {
      throw new ConflictError('y'.repeat(3000), 'EXPORT_NOT_PENDING');
    }).with(rt);
    const res = await handler(event('GET', 'br'), context);
    expect(res.statusCode).toBe(409);
    expect(res.headers?.['Content-Encoding']).toBe('br');
    expect(res.headers?.['X-Request-Id']).toBe('req-9');
    expect(JSON.parse(decode(res)).error).toMatchObject({ code: 'EXPORT_NOT_PENDING', request_id: 'req-9' });
  });
});
