import { route } from './route.ts';

export const openapiDocument = /* @__PURE__ */ route({
  name: 'openapi',
  method: 'GET',
  path: '/api/openapi.json',
  entry: 'functions/openapi.ts',
  auth: 'none',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'This document', schema: 'OpenApiDocument' } },
  summary: 'OpenAPI 3.1 document',
  grants: [],
});

/** The API's own description: route table entries (lib/http/routes.ts lists every area). */
export const OPENAPI_ROUTES = {
  openapi: openapiDocument,
} as const;
