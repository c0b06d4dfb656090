import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { encodeRfc3986, s3Address } from '../aws/s3-address.ts';
import { type Config, ConfigError } from '../config.ts';
import { assertSafeKey } from './keys.ts';

/**
 * Expiring read URLs for artifacts, without an S3 client: on AWS an S3 presigned GET (AWS Signature
 * Version 4 in the query string, signed with the function's own role credentials, which Lambda puts in
 * the environment), locally a URL of the local artifact server (infra/local/artifact-server.ts), signed
 * with an HMAC key the local stack makes. The API functions that serve scan reports use this: the S3
 * client stays out of their bundles (docs/deploy.md, "Bundles").
 */

export interface PresignRequest {
  key: string;
  /** The Content-Type the object is answered with (S3: `response-content-type`). */
  contentType: string;
  expiresInSeconds: number;
  now?: Date;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** `20130524T000000Z` */
const amzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * An S3 presigned GET URL (AWS Signature Version 4, query-string authentication): host-only signed
 * headers, `UNSIGNED-PAYLOAD`. Virtual-hosted style on AWS (`<bucket>.s3.<region>.amazonaws.com`),
 * path style on an explicit endpoint (AWS_ENDPOINT_URL_S3). Extra query parameters (e.g.
 * `response-content-type`) are signed with the rest.
 */
export function presignS3Get(input: {
  bucket: string;
  key: string;
  region: string;
  credentials: AwsCredentials;
  expiresInSeconds: number;
  now?: Date;
  endpoint?: string;
  /** e.g. `s3.amazonaws.com` for the legacy global endpoint (the AWS documentation's example). */
  host?: string;
  query?: Record<string, string>;
}): string {
  const now = input.now ?? new Date();
  const datetime = amzDate(now);
  const date = datetime.slice(0, 8);
  const scope = `${date}/${input.region}/s3/aws4_request`;
  const { origin, path } = s3Address(input);
  const host = origin.host;
  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${input.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': datetime,
    'X-Amz-Expires': String(input.expiresInSeconds),
    ...(input.credentials.sessionToken ? { 'X-Amz-Security-Token': input.credentials.sessionToken } : {}),
    'X-Amz-SignedHeaders': 'host',
    ...input.query,
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${encodeRfc3986(k)}=${encodeRfc3986(query[k] as string)}`)
    .join('&');
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join(
    '\n',
  );
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, scope, sha256Hex(canonicalRequest)].join('\n');
  let signingKey = hmac(`AWS4${input.credentials.secretAccessKey}`, date);
  for (const part of [input.region, 's3', 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${origin.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** Local artifact URLs: the signed string, and the query parameter names. */
const LOCAL = { expires: 'X-Wro-Expires', type: 'X-Wro-Content-Type', signature: 'X-Wro-Signature' } as const;
const localSignature = (secret: string, key: string, expires: number, contentType: string) =>
  createHmac('sha256', Buffer.from(secret, 'base64'))
    .update(`GET\n/${key}\n${expires}\n${contentType}`)
    .digest('hex');

/** A URL of the local artifact server for `key`, valid until `expiresInSeconds` from now. */
export function presignLocalGet(base: string, secret: string, req: PresignRequest): string {
  assertSafeKey(req.key);
  const expires = Math.floor((req.now ?? new Date()).getTime() / 1000) + req.expiresInSeconds;
  const url = new URL(`${base.replace(/\/$/, '')}/${req.key}`);
  url.searchParams.set(LOCAL.expires, String(expires));
  url.searchParams.set(LOCAL.type, req.contentType);
  url.searchParams.set(LOCAL.signature, localSignature(secret, req.key, expires, req.contentType));
  return url.toString();
}

/** What the local artifact server makes of a request URL: the key and type to serve, or why not. */
export function verifyLocalGet(
  secret: string,
  url: URL,
  nowMs = Date.now(),
): { ok: true; key: string; contentType: string } | { ok: false; reason: 'invalid' | 'expired' } {
  const key = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const expires = Number(url.searchParams.get(LOCAL.expires));
  const contentType = url.searchParams.get(LOCAL.type) ?? '';
  const given = Buffer.from(url.searchParams.get(LOCAL.signature) ?? '', 'utf8');
  try {
    assertSafeKey(key);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!Number.isSafeInteger(expires)) return { ok: false, reason: 'invalid' };
  const wanted = Buffer.from(localSignature(secret, key, expires, contentType), 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
    return { ok: false, reason: 'invalid' };
  if (expires * 1000 < nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, key, contentType };
}

/** The function's credentials as Lambda hands them in (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). */
function environmentCredentials(env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('no AWS credentials in the environment');
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/** An expiring read URL for an artifact, in the artifact storage this process is configured with. */
export function presignArtifactGet(config: Config, req: PresignRequest, env = process.env): string {
  assertSafeKey(req.key);
  if (config.artifactsBucket) {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new ConfigError('Invalid configuration:\n  AWS_REGION: is required here');
    return presignS3Get({
      bucket: config.artifactsBucket,
      key: req.key,
      region,
      credentials: environmentCredentials(env),
      expiresInSeconds: req.expiresInSeconds,
      now: req.now,
      endpoint: env.AWS_ENDPOINT_URL_S3 || undefined,
      query: { 'response-content-type': req.contentType },
    });
  }
  if (config.localArtifacts)
    return presignLocalGet(config.localArtifacts.url, config.localArtifacts.key, req);
  throw new ConfigError(
    'Invalid configuration:\n  WRO_ARTIFACTS_BUCKET or WRO_LOCAL_ARTIFACTS_URL and WRO_LOCAL_ARTIFACTS_KEY: one is required here',
  );
}
