import type { HttpResponse, WroMiddleware, WroRequest } from '../context.ts';

/**
 * HEAD is answered by the GET route (RFC 9110 §9.3.2): the same status and headers, with the
 * Content-Length the body would have had, and no body. Used outermost, so it sees the final answer,
 * errors included.
 */
export function headWithoutBody(): WroMiddleware {
  const strip = (request: WroRequest) => {
    if (request.event.requestContext?.http?.method !== 'HEAD' || !request.response) return;
    const response = request.response as HttpResponse;
    const length = Buffer.byteLength(
      String(response.body ?? ''),
      response.isBase64Encoded ? 'base64' : 'utf8',
    );
    request.response = {
      ...response,
      body: '',
      headers: { ...response.headers, 'Content-Length': String(length) },
    };
  };
  return { after: strip, onError: strip };
}
