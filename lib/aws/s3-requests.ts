import { fromEnv } from '@aws-sdk/credential-provider-env';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigError } from '../config.ts';
import { s3Address } from './s3-address.ts';

/**
 * S3 REST requests signed by the SDK's own SigV4 signer and sent by its HTTP handler, both already in
 * every bundle for DynamoDB, with the SDK's standard retry strategy. The dispatcher makes three kinds
 * of S3 request (lib/aws/s3-objects.ts); the S3 client for them was 165 KB of its bundle and a third
 * of its cold start (docs/deploy.md, "Bundles"). Addressed as presigned URLs are (lib/aws/s3-address.ts).
 */
export interface S3Request {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  bucket: string;
  /** The object key; absent for a bucket-level request (list, delete objects). */
  key?: string;
  /** Query parameters; `''` for a bare one (`?delete`). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface S3Requests {
  /** Sends one request; resolves with its 2xx answer, retries transient failures, throws the rest. */
  send(request: S3Request): Promise<S3Response>;
  destroy(): void;
}

/** S3 answered with an error, after retries of the transient ones: its status and XML `Code`. */
export class S3RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'S3RequestError';
  }
}

/** What the requests are sent with; tests hand in their own. */
export interface S3RequestsOptions {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** Attempts per request, the first included (the SDK's default is 3). */
  maxAttempts?: number;
  /** What sends the signed requests (default: the SDK's Node.js HTTP handler). */
  requestHandler?: Pick<NodeHttpHandler, 'handle' | 'destroy'>;
}

type RetryKind = 'THROTTLING' | 'TRANSIENT';

/** How an S3 error is retried, as the SDK classifies it: throttling (SlowDown, 429) and transient errors. */
function retryKindOf(err: S3RequestError): RetryKind | undefined {
  if (err.status === 429 || err.code === 'SlowDown') return 'THROTTLING';
  if ([500, 502, 503, 504].includes(err.status) || err.code === 'RequestTimeout') return 'TRANSIENT';
  return undefined;
}

/** The `Code` and `Message` of an S3 error document (`<Error><Code>…</Code><Message>…</Message></Error>`). */
function errorOf(status: number, body: string): S3RequestError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP${status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
  return new S3RequestError(status, code, `S3 answered ${status} ${code}${message ? `: ${message}` : ''}`);
}

/**
 * The S3 requests of this process: endpoint AWS_ENDPOINT_URL_S3 if set, region AWS_REGION, the
 * credentials Lambda puts in the environment (as every bundled SDK client has them, lib/aws/lambda-credentials.ts).
 */
export function s3Requests(opts: S3RequestsOptions = {}, env = process.env): S3Requests {
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = opts.endpoint ?? (env.AWS_ENDPOINT_URL_S3 || undefined);
  const handler = opts.requestHandler ?? new NodeHttpHandler({ requestTimeout: 60_000 });
  const retries = new StandardRetryStrategy(opts.maxAttempts ?? 3);
  const signer = region
    ? new SignatureV4({
        credentials: opts.credentials ?? fromEnv(),
        region,
        service: 's3',
        sha256: Hash.bind(null, 'sha256'),
        // S3 signs the path as sent, without the second encoding other services use.
        uriEscapePath: false,
        applyChecksum: true,
      })
    : undefined;

  function httpRequest(req: S3Request): HttpRequest {
    const { origin: url, path } = s3Address({
      bucket: req.bucket,
      key: req.key,
      region: region as string,
      endpoint,
    });
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    return new HttpRequest({
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path,
      query: req.query ?? {},
      headers: {
        ...req.headers,
        host: url.host,
        ...(body ? { 'content-length': String(body.length) } : {}),
      },
      body,
    });
  }

  /** One attempt: the response, or the error with how to retry it (undefined: do not). */
  async function attempt(req: S3Request): Promise<{ ok: S3Response } | { error: Error; retry?: RetryKind }> {
    if (!signer) return { error: new ConfigError('Invalid configuration:\n  AWS_REGION: is required here') };
    // A request that cannot be signed (no credentials) is not worth repeating: thrown from here.
    const signed = await signer.sign(httpRequest(req));
    let response: Awaited<ReturnType<NodeHttpHandler['handle']>>['response'];
    let text: string;
    try {
      response = (await handler.handle(signed as HttpRequest)).response;
      text = Buffer.from(await streamCollector(response.body)).toString('utf8');
    } catch (err) {
      // No whole answer (refused, reset, timed out): the request may be repeated, as the SDK does.
      return { error: err as Error, retry: 'TRANSIENT' };
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { ok: { status, headers: response.headers, body: text } };
    const error = errorOf(status, text);
    return { error, retry: retryKindOf(error) };
  }

  return {
    async send(req) {
      let token = await retries.acquireInitialRetryToken(`s3:${req.method}`);
      for (;;) {
        const result = await attempt(req);
        if ('ok' in result) {
          retries.recordSuccess(token);
          return result.ok;
        }
        if (!result.retry) throw result.error;
        try {
          token = await retries.refreshRetryTokenForRetry(token, { errorType: result.retry });
        } catch {
          throw result.error; // out of attempts (or of the strategy's retry capacity)
        }
      }
    },
    destroy: () => handler.destroy(),
  };
}
