import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface ApiRequest {
  method: string;
  path: string;
  routePath?: string;
  headers?: Record<string, string>;
  body?: string;
  params?: Record<string, string>;
}

/** An API Gateway v2 HTTP event for a request, as the gateway hands it to a route's function. */
export function apiEvent(req: ApiRequest): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: `${req.method} ${req.routePath ?? req.path}`,
    rawPath: req.path,
    rawQueryString: '',
    headers,
    pathParameters: req.params,
    requestContext: {
      requestId: randomUUID(),
      http: { method: req.method, path: req.path, sourceIp: '127.0.0.1' },
    },
    body: req.body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Calls a route's Lambda handler in-process with an API Gateway v2 event (no HTTP in between). */
export async function invoke(handler: unknown, req: ApiRequest): Promise<APIGatewayProxyStructuredResultV2> {
  const event = apiEvent(req);
  const context = {
    awsRequestId: event.requestContext.requestId,
    getRemainingTimeInMillis: () => 29_000,
  } as unknown as Context;
  return (handler as Handler)(event, context);
}
