import { OPENAPI_DOCUMENT_JSON } from '../lib/openapi-document.ts';

let document: Record<string, unknown> | undefined;

import { httpRoute } from '../lib/http/route-handler.ts';
import { openapiDocument } from '../lib/http/routes/openapi.ts';

/**
 * The OpenAPI document as `npm run client:generate` wrote it from the route table (lib/openapi.ts;
 * a test fails when the file is stale), bundled as JSON text and parsed once per container: building
 * it here took the schemas of every route, zod and zod-openapi into this function's cold start. Its `servers` names the origin it was
 * requested from (API Gateway's domain, or the local gateway's host), so a generic client can use it
 * as is.
 */
export const handler = httpRoute(openapiDocument, async ({ event }) => {
  document ??= JSON.parse(OPENAPI_DOCUMENT_JSON) as Record<string, unknown>;
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const host = event.requestContext?.domainName;
  return {
    status: 200,
    body: host
      ? { ...document, servers: [{ url: `${proto}://${host}`, description: 'This API' }] }
      : document,
  };
});
