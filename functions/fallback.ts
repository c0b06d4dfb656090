import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { matchRequest } from '../lib/http/method-routing.ts';
import { jsonResponse } from '../lib/http/response.ts';

/**
 * API Gateway's `$default` route (and the local gateway's): what no route of the table takes. A known
 * path with another method is `405` with `Allow`; anything else `404 NOT_FOUND`. Both in the JSON
 * envelope, with a request id and `X-Content-Type-Options: nosniff`.
 */
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const requestId = event.requestContext?.requestId ?? 'unknown';
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = matchRequest(method, event.rawPath ?? '/');
  const headers = { 'X-Request-Id': requestId, 'X-Content-Type-Options': 'nosniff' };
  // OPTIONS on a known path (a preflight from an origin CORS does not allow, or a plain OPTIONS).
  if (match.kind === 'method_not_allowed' && method === 'OPTIONS') {
    return { statusCode: 204, headers: { ...headers, Allow: match.allow.join(', ') }, body: '' };
  }
  if (match.kind === 'method_not_allowed') {
    return jsonResponse(
      405,
      {
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `This path does not take ${method}; it takes ${match.allow.join(', ')}.`,
          request_id: requestId,
        },
      },
      { ...headers, Allow: match.allow.join(', ') },
    );
  }
  return jsonResponse(
    404,
    { error: { code: 'NOT_FOUND', message: 'No such route.', request_id: requestId } },
    headers,
  );
};
