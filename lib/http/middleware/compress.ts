import { brotliCompress, constants, gzip } from 'node:zlib';
import type { HttpResponse, WroMiddleware, WroRequest } from '../context.ts';
import { headerKey, withVary } from '../response.ts';

/** Bodies smaller than this (UTF-8 bytes) are sent as they are: compression would hardly pay. */
export const COMPRESS_MIN_BYTES = 1024;

export type Coding = 'br' | 'gzip';

/** RFC 9110 §12.4.2: `0`, `0.` up to three digits, or `1` with only zeros after the point. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
/** A content coding is a token (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * The coding to answer with for this `Accept-Encoding` value (RFC 9110 §12.5.3), or undefined for
 * the body as it is. Names are case-insensitive, `x-gzip` is `gzip` (§8.4.1.3), `*` stands for every
 * coding not listed, `q=0` means "not acceptable"; an element that does not parse is skipped, a coding
 * listed twice counts with its lowest q. Of `br` and `gzip` the one with the higher q wins, `br` on a
 * tie; an explicit `identity` with a higher q than both keeps the body as it is. No header (or an
 * empty one) is no compression: many clients that send none cannot decode any.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Coding | undefined {
  if (typeof acceptEncoding !== 'string') return undefined;
  const q = new Map<string, number>();
  for (const element of acceptEncoding.split(',')) {
    const [rawName = '', ...params] = element.split(';');
    let name = rawName.trim().toLowerCase();
    if (name === 'x-gzip') name = 'gzip';
    if (!TOKEN.test(name)) continue;
    let weight = 1;
    let valid = true;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=', 2).map((s) => s.trim());
      if (key.toLowerCase() !== 'q') continue; // no other parameter is defined; ignore it
      if (!QVALUE.test(value)) valid = false;
      else weight = Number(value);
    }
    if (!valid) continue;
    q.set(name, Math.min(weight, q.get(name) ?? 1));
  }
  const star = q.get('*') ?? 0;
  const br = q.get('br') ?? star;
  const gz = q.get('gzip') ?? star;
  const best = Math.max(br, gz);
  if (best <= 0 || (q.get('identity') ?? 0) > best) return undefined;
  return br >= gz ? 'br' : 'gzip';
}

// Callbacks wrapped by hand rather than with util.promisify: an ESM import of node:util evaluates the
// whole module at every cold start (~2 ms; docs/deploy.md, "Bundles").
function compressBytes(coding: Coding, input: Buffer): Promise<Buffer> {
  return new Promise((done, fail) => {
    const settle = (err: Error | null, out: Buffer) => (err ? fail(err) : done(out));
    if (coding === 'gzip') return gzip(input, settle);
    brotliCompress(
      input,
      {
        params: {
          // zlib's default quality, 11, takes seconds for a 1 MB JSON list; 4 takes tens of milliseconds,
          // about gzip's time, and still ends smaller than gzip.
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
        },
      },
      settle,
    );
  });
}

/**
 * Compresses large answers for clients that accept it (docs/platform.md, "HTTP conventions"): a
 * string body of at least COMPRESS_MIN_BYTES, not base64 and without a `Content-Encoding`, is sent
 * as `br` or `gzip` (chooseEncoding) when that makes the Lambda answer smaller — the compressed bytes
 * go out base64 (`isBase64Encoded`, API Gateway decodes them), so they must win by more than base64's
 * third. Every answer that large carries `Vary: Accept-Encoding`, compressed or not. Errors too: it
 * runs after the error envelope has built the answer and before HEAD strips the body, so HEAD's
 * `Content-Length` is the compressed one GET sends.
 *
 * Not `@middy/http-content-encoding`: its 7.x release needs `@middy/util` and
 * `@middy/http-content-negotiation` on `@middy/core` 7 (this project runs 6.4.5), and the API
 * functions have a 300 KiB bundle budget with little room left (docs/deploy.md, "Bundles"). This is
 * `node:zlib`, which every bundle already imports (the AWS SDK does) and costs no bundle bytes.
 */
export function compress(options: { minBytes?: number } = {}): WroMiddleware {
  const minBytes = options.minBytes ?? COMPRESS_MIN_BYTES;
  const apply = async (request: WroRequest): Promise<void> => {
    const response = request.response as HttpResponse | undefined;
    if (!response || typeof response !== 'object' || typeof response.body !== 'string') return;
    if (response.isBase64Encoded) return;
    const headers = response.headers ?? {};
    if (headerKey(headers, 'Content-Encoding') !== undefined) return;
    const bytes = Buffer.byteLength(response.body, 'utf8');
    if (bytes < minBytes) return;
    const vary = withVary(headers, 'Accept-Encoding');
    const coding = chooseEncoding(request.event.headers?.['accept-encoding']);
    let body: string | undefined;
    if (coding) {
      try {
        body = (await compressBytes(coding, Buffer.from(response.body, 'utf8'))).toString('base64');
      } catch {
        body = undefined; // send it as it is
      }
    }
    if (body === undefined || body.length >= bytes) {
      request.response = { ...response, headers: vary };
      return;
    }
    const out: Record<string, string | number | boolean> = { ...vary, 'Content-Encoding': coding as Coding };
    const length = headerKey(out, 'Content-Length');
    if (length !== undefined) delete out[length]; // it was the uncompressed body's
    request.response = { ...response, headers: out, body, isBase64Encoded: true };
  };
  return { after: apply, onError: apply };
}
