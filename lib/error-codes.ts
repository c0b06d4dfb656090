/**
 * Every error code the API answers with, its status and what it means: the one list the OpenAPI
 * document states per operation (lib/openapi.ts) and `AppError` is typed by (lib/errors.ts). The
 * README's "Errors" table says the same for readers.
 */
export const ERROR_CODES = {
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, meaning: 'a state-changing POST without Idempotency-Key' },
  BAD_REQUEST: {
    status: 400,
    meaning:
      '(local gateway) the request is not valid HTTP: a bad Content-Length or chunked framing, invalid characters',
  },
  UNAUTHORIZED: {
    status: 401,
    meaning: 'missing, invalid or revoked token; missing or wrong X-Scanner-Secret',
  },
  SIGNATURE_INVALID: { status: 401, meaning: 'a request signature did not verify' },
  WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    meaning: "(receivers) an outbound webhook's signature, timestamp or nonce did not verify",
  },
  SCAN_CREDITS_EXHAUSTED: { status: 402, meaning: 'no scan credits left' },
  FORBIDDEN: {
    status: 403,
    meaning: 'the token lacks the scope, or the plan does not allow the provider or deployment mode',
  },
  NOT_FOUND: {
    status: 404,
    meaning: "no such resource (another account's resources are reported the same way)",
  },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'the path exists but takes other methods (see Allow)' },
  REQUEST_TIMEOUT: {
    status: 408,
    meaning: "(local gateway) the request did not arrive in full within the server's time limit",
  },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: {
    status: 409,
    meaning: 'the first request with this key is still running; retry after Retry-After',
  },
  CONFLICT: { status: 409, meaning: 'the resource changed while this request ran; read it and retry' },
  TARGET_NOT_FOUND: { status: 409, meaning: 'target_id does not reference a target of this account' },
  TARGET_NOT_ACTIVE: { status: 409, meaning: 'the target is disabled' },
  TARGET_NOT_SUBSCRIBED: { status: 409, meaning: 'the target is not subscribed to ticket exports' },
  SCAN_RUN_NOT_COMPLETED: {
    status: 409,
    meaning: 'the scan run has not completed (it is queued, or it failed and has no report)',
  },
  REPORT_NOT_READY: {
    status: 409,
    meaning: "the scan run's report is still being built; retry after Retry-After",
  },
  REPORT_FAILED: { status: 409, meaning: "the scan run's report could not be built; the message says why" },
  EXPORT_NOT_PENDING: { status: 409, meaning: 'the export is not pending approval' },
  EXPORT_NOT_RETRYABLE: {
    status: 409,
    meaning: 'the export is neither failed nor blocked, nor delivering under an expired lease',
  },
  PREVIEW_NOT_SAFE: { status: 409, meaning: 'the preview may hold a secret; it cannot be approved' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the body is over 6 MB' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the body is not application/json' },
  VALIDATION_FAILED: {
    status: 422,
    meaning: 'the body, a parameter or Idempotency-Key is not valid; details names every field',
  },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'the key was used with a different request' },
  SCAN_RUN_NOT_FOUND: { status: 422, meaning: 'the scan run id is well-formed but names no scan run' },
  TARGET_URL_UNSAFE: { status: 422, meaning: 'the webhook target URL is not a public https URL' },
  RATE_LIMITED: {
    status: 429,
    meaning: "over the plan's limit; Retry-After, RateLimit-Policy and RateLimit say when to retry",
  },
  REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    meaning: "(local gateway) the request's headers are over the 16 KB limit",
  },
  INTERNAL: { status: 500, meaning: 'unexpected error, no internals in the body: quote request_id' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning: "no answer within API Gateway's 30 s; retry with the same Idempotency-Key",
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
