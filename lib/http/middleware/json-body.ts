import { gunzip, type ZlibOptions } from 'node:zlib';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../errors.ts';
import { type HttpEvent, header, type WroMiddleware, type WroRequest } from '../context.ts';

/** Bodies are at most 6 MB once decompressed (docs/platform.md, "Limits"). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** gunzip as a promise (not util.promisify: see compress.ts). */
const gunzipAsync = (input: Buffer, options: ZlibOptions) =>
  new Promise<Buffer>((done, fail) => gunzip(input, options, (err, out) => (err ? fail(err) : done(out))));

/**
 * The body's bytes as the client meant them: a `Content-Encoding: gzip` body is decompressed, never
 * past MAX_BODY_BYTES (a small bomb stops there: 413); any other coding, or bytes that are not gzip,
 * is 415. API Gateway hands a body with a Content-Encoding to the function base64-encoded. (Also read
 * by authentication on signed routes, whose signature covers these bytes.)
 */
export async function bodyBytes(event: HttpEvent): Promise<Buffer | undefined> {
  if (!event.body) return undefined;
  const raw = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const coding = (header(event, 'content-encoding') ?? 'identity').trim().toLowerCase();
  if (coding === 'identity') {
    if (raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    return raw;
  }
  if (coding !== 'gzip' && coding !== 'x-gzip')
    throw new UnsupportedMediaTypeError(`Content-Encoding ${coding} is not supported; send gzip or none.`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new PayloadTooLargeError(MAX_BODY_BYTES);
    throw new UnsupportedMediaTypeError('The body is not valid gzip (Content-Encoding: gzip).');
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Decodes the raw body (gzip included; kept for idempotency fingerprints), enforces 413/415, and parses JSON for
 * routes that take a body. A body on a route without one must still be JSON if present.
 */
export function jsonBody(): WroMiddleware {
  return {
    before: async (request: WroRequest) => {
      const state = request.internal.state;
      const { event } = request;
      const raw = await bodyBytes(event);
      state.rawBody = raw ? raw.toString('utf8') : '';
      if (!state.route.jsonBody && state.rawBody.trim() === '') return;
      if (state.rawBody.trim() === '') {
        if (!JSON_TYPE.test(header(event, 'content-type') ?? '')) throw new UnsupportedMediaTypeError();
        throw new ValidationError([{ field: '', message: 'A JSON request body is required.' }]);
      }
      if (!JSON_TYPE.test(header(event, 'content-type') ?? '')) throw new UnsupportedMediaTypeError();
      try {
        state.json = JSON.parse(state.rawBody);
      } catch {
        throw new ValidationError([{ field: '', message: 'The request body is not valid JSON.' }]);
      }
    },
  };
}
