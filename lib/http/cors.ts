/**
 * The CORS policy, once: the CDK stack hands it to API Gateway (`corsPreflight`), the local gateway
 * applies the same to its answers. Origins come from configuration (WRO_CORS_ORIGINS locally, the
 * `corsOrigins` context on AWS); none by default on AWS, the local API's own origin under npm start.
 */
export const CORS_POLICY = {
  allowHeaders: ['Authorization', 'Content-Encoding', 'Content-Type', 'Idempotency-Key', 'X-Scanner-Secret'],
  exposeHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
  maxAgeSeconds: 600,
} as const;

/** The CORS headers for an answer to `origin`, or none when the origin is not allowed. */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return {};
  return {
    'Access-Control-Allow-Origin': allowed.includes('*') ? '*' : origin,
    'Access-Control-Expose-Headers': CORS_POLICY.exposeHeaders.join(', '),
    Vary: 'Origin',
  };
}

/** The answer to a preflight from an allowed origin for a path with these methods. */
export function preflightHeaders(
  origin: string | undefined,
  allowed: readonly string[],
  methods: readonly string[],
): Record<string, string> | undefined {
  const base = corsHeaders(origin, allowed);
  if (!base['Access-Control-Allow-Origin']) return undefined;
  return {
    ...base,
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': CORS_POLICY.allowHeaders.join(', '),
    'Access-Control-Max-Age': String(CORS_POLICY.maxAgeSeconds),
  };
}
