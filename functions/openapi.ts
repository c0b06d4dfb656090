import { httpRoute } from '../lib/http/route-handler.ts';
import { openapiDocument } from '../lib/http/routes/openapi.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';

let document: unknown;

export const handler = httpRoute(openapiDocument, async () => {
  document ??= buildOpenApiDocument();
  return { status: 200, body: document };
});
