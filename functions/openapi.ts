import { httpRoute } from '../lib/http/route-handler.ts';
import { OPENAPI_ROUTES } from '../lib/http/routes/openapi.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';

let document: unknown;

export const handler = httpRoute(OPENAPI_ROUTES.openapi, async () => {
  document ??= buildOpenApiDocument();
  return { status: 200, body: document };
});
