import {
  createDocument,
  type ZodOpenApiHeaderObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import { IDEMPOTENCY_KEY_PATTERN, isStoredOutcome } from './http/middleware/idempotency.ts';
import { PATH_PARAMS, pathParamNames, ROUTES, type RouteDef } from './http/routes.ts';
import { ErrorEnvelopeSchema, RESPONSES } from './schemas/responses.ts';
import * as z from './schemas/zod.ts';
import { WEBHOOK_ID_PATTERN } from './webhooks/callback-signature.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table: each entry carries the zod schemas that
 * validate it, its own refusals' codes and its links; what every route of a kind answers (headers,
 * authentication, rate limit, body and idempotency refusals) is added here, by the same rules the
 * middlewares apply (docs/platform.md). The end-to-end suite checks every answer against this document
 * (test/support/openapi-conformance.ts), so it cannot say less than the API does.
 */

type HeaderRef = { $ref: string };
const header = (name: keyof typeof HEADERS): HeaderRef => ({ $ref: `#/components/headers/${name}` });

const HEADERS = {
  RequestId: {
    description: "This request's id (also `request_id` in error bodies); quote it when reporting a problem.",
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
  ContentTypeOptions: { required: true, schema: { type: 'string', enum: ['nosniff'] } },
  NoStore: {
    description: "Authenticated answers are one account's data (some carry a signing secret): never cached.",
    required: true,
    schema: { type: 'string', enum: ['no-store'] },
  },
  RateLimit: {
    description: 'Requests left in the window and seconds until it resets (IETF RateLimit header fields).',
    schema: { type: 'string', pattern: '^"default";r=\\d+;t=\\d+$' },
  },
  RateLimitPolicy: {
    description: "The plan's quota and window in seconds.",
    schema: { type: 'string', pattern: '^"default";q=\\d+;w=\\d+$' },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  RetryAfterInProgress: {
    description: "With IDEMPOTENCY_REQUEST_IN_PROGRESS: seconds until the first request's claim expires.",
    schema: { type: 'integer', minimum: 0 },
  },
  RetryAfterReport: {
    description: 'With REPORT_NOT_READY: seconds after which the report is likely built.',
    schema: { type: 'integer', minimum: 0 },
  },
  Location: {
    description:
      'An expiring URL of the stored document (S3 presigned, 5 minutes): follow it without the Authorization header.',
    required: true,
    schema: { type: 'string', format: 'uri' },
  },
  IdempotentReplayed: {
    description:
      'This is the stored answer of an earlier request with the same Idempotency-Key (a signed callback: the same webhook-id).',
    schema: { type: 'string', enum: ['true'] },
  },
  BearerChallenge: {
    description: 'RFC 6750 challenge; `error="invalid_token"` when a token was presented and refused.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer realm="webriskops"' },
  },
  ContentEncoding: {
    description: 'Bodies of 1 KB or more are compressed when Accept-Encoding allows (br or gzip).',
    schema: { type: 'string', enum: ['br', 'gzip'] },
  },
  Vary: { description: 'Accept-Encoding, for bodies that may be compressed.', schema: { type: 'string' } },
} satisfies Record<string, ZodOpenApiHeaderObject>;

/**
 * The headers of a request signed with a target's signing secret (Standard Webhooks; route auth
 * `target-signature`). `webhook-id` is also its idempotency key.
 */
const SIGNATURE_HEADERS = {
  'webhook-id': z.string().check(z.regex(WEBHOOK_ID_PATTERN)).register(z.globalRegistry, {
    description:
      'The message id, 1-255 printable ASCII characters without spaces, the same across retries: a callback is applied once per target and webhook-id, and a repeat answers the first answer.',
    example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  }),
  'webhook-timestamp': z
    .string()
    .check(z.regex(/^\d{1,12}$/))
    .register(z.globalRegistry, {
      description: "Unix seconds at signing; at most 5 minutes from the server's clock either way.",
      example: '1767225600',
    }),
  'webhook-signature': z.string().check(z.minLength(1)).register(z.globalRegistry, {
    description:
      "`v1,<base64 HMAC-SHA256>` with the target's signing secret, space-separated when signed with several secrets (one must verify).",
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  }),
};

/** Statuses answered before the Idempotency-Key is claimed (docs/platform.md, "Order of checks"). */
const BEFORE_CLAIM = [400, 401, 413, 415, 429];

/** The headers of every answer of a route, then those of success answers and of refusals. */
function headersFor(route: RouteDef, status: number): Record<string, HeaderRef> {
  const headers: Record<string, HeaderRef> = {
    'X-Request-Id': header('RequestId'),
    'X-Content-Type-Options': header('ContentTypeOptions'),
    'Content-Encoding': header('ContentEncoding'),
    Vary: header('Vary'),
  };
  if (route.auth === 'none') return headers;
  headers['Cache-Control'] = header('NoStore');
  if (status !== 401) {
    headers.RateLimit = header('RateLimit');
    headers['RateLimit-Policy'] = header('RateLimitPolicy');
  }
  if (status === 429) headers['Retry-After'] = header('RetryAfter');
  if (status === 401 && route.auth === 'bearer') headers['WWW-Authenticate'] = header('BearerChallenge');
  // A stored answer replays; those given before the key is claimed never are.
  if (route.idempotent && isStoredOutcome(status) && !BEFORE_CLAIM.includes(status))
    headers['Idempotent-Replayed'] = header('IdempotentReplayed');
  if (route.idempotent && status === 409) headers['Retry-After'] = header('RetryAfterInProgress');
  if (status === 409 && route.errors?.includes('REPORT_NOT_READY'))
    headers['Retry-After'] = header('RetryAfterReport');
  return headers;
}

/** Every code a route answers with: its own, and those of the middlewares its entry switches on. */
function errorCodes(route: RouteDef): ErrorCode[] {
  const codes: ErrorCode[] = [...(route.errors ?? [])];
  if (route.auth === 'target-signature') codes.push('SIGNATURE_INVALID', 'RATE_LIMITED');
  else if (route.auth !== 'none') codes.push('UNAUTHORIZED', 'RATE_LIMITED');
  if (route.auth === 'bearer' && route.scope) codes.push('FORBIDDEN');
  if (pathParamNames(route.path).length) codes.push('NOT_FOUND');
  // Every route reads a body it is sent (one where none is taken must still be JSON, or empty).
  codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED');
  // A replay key carried by a signed header is never missing once the signature verified.
  if (route.idempotent && !route.replayKey) codes.push('IDEMPOTENCY_KEY_REQUIRED');
  if (route.idempotent) codes.push('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED');
  codes.push('INTERNAL', 'SERVICE_UNAVAILABLE');
  return [...new Set(codes)];
}

/**
 * Error answers are shared components: the same refusal (codes and headers) of many operations is
 * one `components.responses` entry, named by its codes and, where headers differ, the route's kind.
 */
class SharedResponses {
  readonly components: Record<string, ZodOpenApiResponseObject> = {};
  private readonly texts = new Map<string, string>();
  ref(name: string, response: ZodOpenApiResponseObject): { $ref: string } {
    const text = JSON.stringify(response);
    const known = this.texts.get(name);
    if (known !== undefined && known !== text) throw new Error(`two different responses named ${name}`);
    this.texts.set(name, text);
    this.components[name] = response;
    return { $ref: `#/components/responses/${name}` };
  }
}

const pascal = (code: string) =>
  code.toLowerCase().replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase());

function errorResponseName(route: RouteDef, status: number, codes: ErrorCode[]): string {
  const kind = route.auth === 'none' ? 'Public' : route.auth === 'scanner' ? 'Scanner' : '';
  const replayable = headersFor(route, status)['Idempotent-Replayed'] ? 'Replayable' : '';
  return `${codes.map(pascal).join('Or')}${kind}${replayable}`;
}

/** An error answer: the envelope, with `error.code` one of the codes this status carries here. */
function errorResponse(route: RouteDef, status: number, codes: ErrorCode[]): ZodOpenApiResponseObject {
  return {
    description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`).join('; '),
    headers: headersFor(route, status),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ErrorEnvelope' },
            {
              type: 'object',
              properties: {
                error: { type: 'object', properties: { code: { type: 'string', enum: codes } } },
              },
            },
          ],
        },
      },
    },
  };
}

function operation(route: RouteDef, shared: SharedResponses): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject | { $ref: string }> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const media = {
      ...(r.schema ? { 'application/json': { schema: RESPONSES[r.schema] } } : {}),
      ...Object.fromEntries(
        Object.entries(r.media ?? {}).map(([type, name]) => [type, { schema: RESPONSES[name] }]),
      ),
    };
    responses[status] = {
      description: r.description,
      headers: {
        ...headersFor(route, Number(status)),
        ...(r.redirect ? { Location: { $ref: '#/components/headers/Location' } } : {}),
      },
      ...(Object.keys(media).length ? { content: media } : {}),
      ...(r.links ? { links: r.links } : {}),
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodes(route)) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const response = errorResponse(route, status, codes);
    // A refusal with this route's own codes stays with it; the common ones are shared.
    responses[String(status)] = codes.some((c) => route.errors?.includes(c))
      ? response
      : shared.ref(errorResponseName(route, status, codes), response);
  }

  const names = pathParamNames(route.path);
  const path = names.length
    ? z.object(Object.fromEntries(names.map((n) => [n, PATH_PARAMS[n].schema()])))
    : undefined;
  const contentEncoding = z.optional(
    z.enum(['gzip', 'identity']).register(z.globalRegistry, {
      description:
        'gzip: the body is gzip-compressed; its limit (6 MB) is on the decompressed size. Large scan results should be sent this way: uncompressed, the body travels as escaped JSON text inside a 6 MB Lambda event.',
    }),
  );
  const header = route.replayKey
    ? z.object({
        ...(route.jsonBody ? { 'Content-Encoding': contentEncoding } : {}),
        ...SIGNATURE_HEADERS,
      })
    : route.idempotent
      ? z.object({
          ...(route.jsonBody ? { 'Content-Encoding': contentEncoding } : {}),
          'Idempotency-Key': z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN)).register(z.globalRegistry, {
            description:
              'Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency").',
            example: '0b9c2f1e-7d4a-4f0e-9a41-3c5d8e2b6f10',
          }),
        })
      : route.jsonBody
        ? z.object({ 'Content-Encoding': contentEncoding })
        : undefined;
  const body = route.body?.();
  return {
    operationId: operationIdOf(route),
    summary: route.summary,
    tags: [tagOf(route)],
    security:
      route.auth === 'bearer'
        ? [{ bearerAuth: [] }]
        : route.auth === 'scanner'
          ? [{ scannerSecret: [] }]
          : route.auth === 'target-signature'
            ? [{ targetSignature: [] }]
            : [],
    requestParams: {
      ...(path ? { path } : {}),
      ...(header ? { header } : {}),
      ...(route.query ? { query: route.query() } : {}),
    },
    ...(body
      ? {
          requestBody: {
            // A body the schema accepts as absent (rotate-secret's) is optional.
            required: !body.safeParse(undefined).success,
            content: { 'application/json': { schema: body } },
          },
        }
      : {}),
    responses,
  };
}

/** `scan-runs.create` → `scanRunsCreate`: the route's name as generated clients name functions. */
const operationIdOf = (route: RouteDef) =>
  route.name.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Operations are grouped by their route table area (the route name's first part). */
const TAGS = {
  projects: 'Projects: what is scanned',
  'scan-runs': 'Scan runs and their pages and issues',
  scanner: 'Scanner results (the scanner, with X-Scanner-Secret)',
  targets: 'Ticket export targets: webhook receivers',
  exports: 'Ticket exports and their delivery',
  findings: "A project's findings across its scan runs, and their triage",
  events: 'Event deliveries (scan_run.failed, target.disabled, export.failed) and their attempt logs',
  openapi: 'This document',
} as const;
const tagOf = (route: RouteDef) => route.name.split('.')[0] as keyof typeof TAGS;

/**
 * The document. Its server is relative (wherever the document is read); the OpenAPI function names
 * the origin it answers on instead.
 */
export function buildOpenApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  const shared = new SharedResponses();
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    const item = paths[route.path] as NonNullable<ZodOpenApiPathsObject[string]>;
    item[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'] = operation(route, shared);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'WebRiskOps API',
      version: '1.0.0',
      description:
        'Scanner results ingestion, ticket export targets, ticket exports and signed webhook delivery. Errors are `{"error":{"code","message","request_id","details"?}}`; each answer lists its codes. HEAD is answered for every GET, a known path with another method is `405` with `Allow`, and OPTIONS is the CORS preflight.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-WebRiskOps' },
      contact: { name: 'WebRiskOps' },
    },
    servers: [{ url: '/', description: 'Where this document is served' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'API token (Authorization: Bearer <token>), made by the admin command',
        },
        scannerSecret: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Scanner-Secret',
          description: "The scanner's shared secret",
        },
        targetSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'Standard Webhooks signature with the target\'s signing secret: `v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of the secret after `whsec_` (docs/ticket-exports.md, "Ticket system callbacks")',
        },
      },
      headers: HEADERS,
      responses: shared.components,
      schemas: { ErrorEnvelope: ErrorEnvelopeSchema },
    },
    paths,
  });
}
