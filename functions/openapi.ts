import { httpRoute } from '../lib/http/route-handler.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';

let document: unknown;

export const handler = httpRoute('openapi', async () => {
  document ??= buildOpenApiDocument();
  return { status: 200, body: document };
});
