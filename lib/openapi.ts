import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { PATH_PARAMS, pathParamNames, ROUTES, type RouteDef } from './http/routes.ts';
import { ErrorEnvelopeSchema, RESPONSES } from './schemas/responses.ts';
import * as z from './schemas/zod.ts';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
});

function pathParams(path: string) {
  const names = pathParamNames(path);
  return names.length
    ? z.object(Object.fromEntries(names.map((n) => [n, PATH_PARAMS[n].schema])))
    : undefined;
}

function operation(route: RouteDef): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    responses[status] = {
      description: r.description,
      content: { 'application/json': { schema: RESPONSES[r.schema] } },
    };
  }
  if (route.auth !== 'none') {
    responses['401'] = errorResponse('UNAUTHORIZED');
    responses['429'] = errorResponse('RATE_LIMITED');
  }
  if (route.auth === 'bearer') {
    responses['403'] = errorResponse('FORBIDDEN');
    responses['404'] = errorResponse('NOT_FOUND');
  }
  if (route.jsonBody) {
    responses['413'] = errorResponse('PAYLOAD_TOO_LARGE');
    responses['415'] = errorResponse('UNSUPPORTED_MEDIA_TYPE');
  }
  if (route.jsonBody || route.idempotent || route.query)
    responses['422'] = errorResponse('VALIDATION_FAILED');
  if (route.idempotent) {
    responses['400'] = errorResponse('IDEMPOTENCY_KEY_REQUIRED');
    responses['409'] = errorResponse('IDEMPOTENCY_REQUEST_IN_PROGRESS or a state conflict');
  }
  responses['500'] = errorResponse('INTERNAL');

  const params = pathParams(route.path);
  const header = route.idempotent
    ? z.object({ 'Idempotency-Key': z.string().check(z.minLength(1), z.maxLength(255)) })
    : undefined;
  return {
    operationId: route.name,
    summary: route.summary,
    security:
      route.auth === 'bearer'
        ? [{ bearerAuth: [] }]
        : route.auth === 'scanner'
          ? [{ scannerSecret: [] }]
          : [],
    requestParams: {
      ...(params ? { path: params } : {}),
      ...(header ? { header } : {}),
      ...(route.query ? { query: route.query } : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses,
  };
}

/** OpenAPI 3.1, generated from the route table: each entry carries the zod schemas that validate it. */
export function buildOpenApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    const item = paths[route.path] as NonNullable<ZodOpenApiPathsObject[string]>;
    item[route.method.toLowerCase() as 'get' | 'post' | 'delete'] = operation(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'WebRiskOps API',
      version: '1.0.0',
      description:
        'Scanner results ingestion, ticket export targets, ticket exports and signed webhook delivery.',
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'API token (Authorization: Bearer <token>)',
        },
        scannerSecret: { type: 'apiKey', in: 'header', name: 'X-Scanner-Secret' },
      },
    },
    paths,
  });
}
