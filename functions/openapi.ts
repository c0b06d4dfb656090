import { httpRoute } from '../lib/http/route-handler.ts';
import { openapiDocument } from '../lib/http/routes/openapi.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/**
 * The OpenAPI document, built once per container; its `servers` names the origin it was requested
 * from (API Gateway's domain, or the local gateway's host), so a generic client can use it as is.
 */
export const handler = httpRoute(openapiDocument, async ({ event }) => {
  document ??= buildOpenApiDocument();
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const host = event.requestContext?.domainName;
  return {
    status: 200,
    body: host
      ? { ...document, servers: [{ url: `${proto}://${host}`, description: 'This API' }] }
      : document,
  };
});
