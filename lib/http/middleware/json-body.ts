import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../errors.ts';
import { header, type WroMiddleware, type WroRequest } from '../context.ts';

/** Bodies are at most 6 MB (docs/platform.md, "Limits"). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Decodes the raw body (kept for idempotency fingerprints), enforces 413/415, and parses JSON for
 * routes that take a body. A body on a route without one must still be JSON if present.
 */
export function jsonBody(): WroMiddleware {
  return {
    before: (request: WroRequest) => {
      const state = request.internal.state;
      const { event } = request;
      const raw = event.body
        ? event.isBase64Encoded
          ? Buffer.from(event.body, 'base64')
          : Buffer.from(event.body, 'utf8')
        : undefined;
      if (raw && raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
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
