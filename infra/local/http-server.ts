import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ErrorCode } from '../../lib/error-codes.ts';
import { corsHeaders, preflightHeaders } from '../../lib/http/cors.ts';
import { matchRequest, methodsOnPath } from '../../lib/http/method-routing.ts';
import { headerKey, withVary } from '../../lib/http/response.ts';
import { FALLBACK, routeKey } from '../../lib/http/routes.ts';
import type { Runtime } from '../../lib/runtime.ts';

/**
 * AWS's limits, so local requests meet what they meet there (docs/platform.md, "Limits"): API Gateway
 * HTTP API takes bodies up to 10 MB and waits 30 s for the integration; Lambda takes an invocation
 * (the event as JSON, the body in it as escaped text or base64) and gives an answer of up to
 * 6,291,456 bytes each.
 */
export const AWS_LIMITS = {
  gatewayBodyBytes: 10 * 1024 * 1024,
  integrationTimeoutMs: 30_000,
  lambdaPayloadBytes: 6_291_456,
} as const;
const GATEWAY_MAX_BODY = AWS_LIMITS.gatewayBodyBytes;
const REPO_ROOT = resolve(import.meta.dirname, '../..');

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

type RouteModule = { handler: LambdaHandler & { with(rt: Runtime): LambdaHandler } };

/**
 * Imports a route's handler module on first use — the same module Lambda runs — and builds it on the
 * stack's runtime (its clients and hooks) instead of the process's.
 */
function handlerLoader(
  rt: Runtime,
  wrap: NonNullable<LocalHttpServerOptions['wrap']>,
): (route: { name: string; entry: string }) => Promise<LambdaHandler> {
  const handlers = new Map<string, Promise<LambdaHandler>>();
  return ({ name, entry }) => {
    let h = handlers.get(entry);
    if (!h) {
      h = import(pathToFileURL(resolve(REPO_ROOT, entry)).href).then((m: RouteModule) =>
        wrap(name, m.handler.with(rt)),
      );
      handlers.set(entry, h);
    }
    return h;
  };
}

/** The gateway's own answers, in the API's envelope and with the headers every answer has. */
function envelope(status: number, code: ErrorCode, message: string, requestId: string) {
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-Id': requestId,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
    body: JSON.stringify({ error: { code, message, request_id: requestId } }),
  };
}

function lambdaContext(route: { name: string }, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    awsRequestId: requestId,
    functionName: `local-${route.name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.name}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${route.name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Turns a Node request into the API Gateway HTTP API (payload v2.0) event Lambda would receive. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  match: { routeKey: string; params: Record<string, string> },
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  // API Gateway adds these to every request it forwards.
  headers['x-forwarded-for'] = [headers['x-forwarded-for'], req.socket.remoteAddress ?? '127.0.0.1']
    .filter(Boolean)
    .join(', ');
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  // A body with a Content-Encoding (gzip) is bytes, handed over base64 whatever its media type.
  const encoded = !/^\s*(?:identity\s*)?$/i.test(headers['content-encoding'] ?? '');
  const isText =
    body.length === 0 ||
    (!encoded && /json|text|xml|x-www-form-urlencoded/i.test(headers['content-type'] ?? ''));
  const now = new Date();
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(match.params).length ? match.params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * One request and its answer as they crossed the local gateway (bodies as bytes on the wire), for an
 * observer such as the tests' OpenAPI conformance check (test/support/openapi-conformance.ts).
 */
export interface Exchange {
  method: string;
  /** Path and query string, as requested. */
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: Buffer;
  status: number;
  /** Lower-case names. */
  responseHeaders: Record<string, string>;
  /** As sent: encoded when `content-encoding` says so, empty for HEAD. */
  responseBody: Buffer;
}

/**
 * Invokes a function as API Gateway and Lambda would: an event over Lambda's payload limit never
 * reaches it (413), an answer over it is an error (500), and an answer later than the integration
 * timeout is 503 for the client (the function runs on, as it would on Lambda).
 */
async function invokeLikeAws(
  handler: LambdaHandler,
  event: APIGatewayProxyEventV2,
  context: Context,
  limits: { integrationTimeoutMs: number },
): Promise<APIGatewayProxyStructuredResultV2> {
  const requestId = context.awsRequestId;
  if (Buffer.byteLength(JSON.stringify(event)) > AWS_LIMITS.lambdaPayloadBytes) {
    return envelope(
      413,
      'PAYLOAD_TOO_LARGE',
      `The request exceeds the ${AWS_LIMITS.lambdaPayloadBytes}-byte Lambda event (the body as JSON text, plus headers); send it with Content-Encoding: gzip.`,
      requestId,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((res) => {
    timer = setTimeout(() => res('timeout'), limits.integrationTimeoutMs);
  });
  const result = await Promise.race([handler(event, context), timeout]).finally(() => clearTimeout(timer));
  if (result === 'timeout') {
    return envelope(
      503,
      'SERVICE_UNAVAILABLE',
      `No answer within the gateway's ${limits.integrationTimeoutMs / 1000} s; retry with the same Idempotency-Key.`,
      requestId,
    );
  }
  if (Buffer.byteLength(JSON.stringify(result)) > AWS_LIMITS.lambdaPayloadBytes) {
    console.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'answer over the Lambda payload limit',
        request_id: requestId,
      }),
    );
    return envelope(500, 'INTERNAL', 'Internal error.', requestId);
  }
  return result;
}

export interface LocalHttpServerOptions {
  /** API Gateway's integration timeout (AWS_LIMITS); tests shorten it. */
  integrationTimeoutMs?: number;
  /** Called with every answered request (never for a connection cut before its answer). */
  observe?: (exchange: Exchange) => void;
  /** Wraps each route's handler, by route name (fault injection's invocations: infra/local/faults.ts). */
  wrap?: (name: string, handler: LambdaHandler) => LambdaHandler;
}

/** Writes a function's answer; a HEAD answer keeps its headers (Content-Length included) and no body. */
function send(
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  method: string,
): { headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body
    ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (headerKey(headers, 'Content-Length') === undefined) headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(method === 'HEAD' ? undefined : body);
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) sent[k.toLowerCase()] = String(v);
  return { headers: sent, body: method === 'HEAD' ? Buffer.alloc(0) : body };
}

/** The function's headers with the CORS ones added; `Vary` keeps the function's values too. */
function withCors(
  headers: NonNullable<APIGatewayProxyStructuredResultV2['headers']>,
  cors: Record<string, string>,
): Record<string, string | number | boolean> {
  const { Vary: vary, ...rest } = cors;
  const out = { ...headers, ...rest };
  return vary ? withVary(out, vary) : out;
}

/**
 * What Node's HTTP parser refuses before any handler runs (headers over its 16 KB limit, a bad
 * Content-Length or chunked framing, invalid characters, a request that does not arrive in time) is
 * answered in the JSON envelope too, where Node would write a bare status line: 431
 * REQUEST_HEADERS_TOO_LARGE, 413 PAYLOAD_TOO_LARGE (chunk extensions), 408 REQUEST_TIMEOUT, otherwise
 * 400 BAD_REQUEST; then the connection is closed (what follows the bad bytes is not a request). Only
 * on a socket that can still take it without corrupting an answer already under way (Node's own
 * rule); a reset connection is just destroyed.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || socket.writableEnded || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const statuses: Record<string, [number, ErrorCode, string]> = {
    HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADERS_TOO_LARGE', 'The request headers are too large.'],
    HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions are too large.'],
    ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.'],
  };
  const [status, code, message] = statuses[err.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request is not valid HTTP.',
  ];
  const answer = envelope(status, code, message, randomUUID());
  const head = Object.entries({
    ...answer.headers,
    'Content-Length': String(Buffer.byteLength(answer.body)),
    Connection: 'close',
  }).map(([k, v]) => `${k}: ${v}\r\n`);
  const raw = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${answer.body}`;
  socket.end(raw, () => socket.destroy());
}

/**
 * The local API Gateway: routes each request with the shared route table to the same handler
 * module that runs in Lambda, as an HTTP API v2 event.
 */
export function createLocalHttpServer(rt: Runtime, opts: LocalHttpServerOptions = {}): Server {
  const loadHandler = handlerLoader(rt, opts.wrap ?? ((_name, handler) => handler));
  const origins = rt.config.corsOrigins;
  return createServer(async (req, res) => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const origin = req.headers.origin;
      const body = await readBody(req);
      const answer = (result: APIGatewayProxyStructuredResultV2) => {
        const sent = send(res, result, method);
        opts.observe?.({
          method,
          url: req.url ?? '/',
          requestHeaders: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
          ),
          requestBody: body === 'too_large' ? Buffer.alloc(0) : body,
          status: result.statusCode ?? 200,
          responseHeaders: sent.headers,
          responseBody: sent.body,
        });
      };
      // API Gateway answers OPTIONS (CORS preflights) itself, before any route or function.
      if (method === 'OPTIONS') {
        const methods = methodsOnPath(url.pathname);
        if (methods) {
          const cors = preflightHeaders(origin, origins, methods) ?? {};
          return answer({ statusCode: 204, headers: { Allow: methods.join(', '), ...cors } });
        }
      }
      const match = matchRequest(method, url.pathname);
      let result: APIGatewayProxyStructuredResultV2;
      if (match.kind !== 'route') {
        const fallback = await loadFallback();
        result = await fallback(
          toApiGatewayEvent(
            req,
            url,
            body === 'too_large' ? Buffer.alloc(0) : body,
            { routeKey: '$default', params: {} },
            requestId,
          ),
        );
      } else if (body === 'too_large') {
        result = envelope(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.', requestId);
      } else {
        const handler = await loadHandler(match.route);
        const event = toApiGatewayEvent(
          req,
          url,
          body,
          { routeKey: routeKey(match.route), params: match.params },
          requestId,
        );
        result = await invokeLikeAws(handler, event, lambdaContext(match.route, requestId), {
          integrationTimeoutMs: opts.integrationTimeoutMs ?? AWS_LIMITS.integrationTimeoutMs,
        });
      }
      answer({ ...result, headers: withCors(result.headers ?? {}, corsHeaders(origin, origins)) });
    } catch (err) {
      console.error(
        JSON.stringify({ level: 'ERROR', message: 'local gateway error', error: (err as Error).message }),
      );
      if (!res.headersSent) send(res, envelope(500, 'INTERNAL', 'Internal error.', requestId), 'GET');
    }
  }).on('clientError', answerClientError);
}

let fallbackHandler:
  | Promise<(e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>>
  | undefined;

/** The fallback function Lambda runs behind `$default`, for whatever no route takes. */
function loadFallback() {
  fallbackHandler ??= import(pathToFileURL(resolve(REPO_ROOT, FALLBACK.entry)).href).then(
    (m: { handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> }) => m.handler,
  );
  return fallbackHandler;
}
