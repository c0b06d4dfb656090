/**
 * Typed domain errors. Domain code throws these; one middleware
 * (lib/http/middleware/error-envelope.ts) maps them to the JSON error envelope (README, "Errors").
 * Anything that is not an AppError becomes 500 INTERNAL with no internals in the body.
 */
import type { ErrorCode } from './error-codes.ts';

export interface ErrorDetail {
  field: string;
  message: string;
}

export class AppError extends Error {
  /** One of lib/error-codes.ts, where each code's status and meaning are listed. */
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetail[];
  /** Extra response headers (Retry-After, RateLimit…). */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    status: number,
    message: string,
    opts: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid credentials.', headers?: Record<string, string>) {
    super('UNAUTHORIZED', 401, message, { headers });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'These credentials are not allowed to perform this action.') {
    super('FORBIDDEN', 403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Resource not found.') {
    super('NOT_FOUND', 404, message);
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = 'The request is not valid.') {
    super('VALIDATION_FAILED', 422, message, { details });
  }
}

export class ScanRunNotFoundError extends AppError {
  /** `field` names the body field: `scanRunId` for the scanner, `scan_run_id` on the customer API. */
  constructor(message = 'scanRunId does not reference a known scan run.', field = 'scanRunId') {
    super('SCAN_RUN_NOT_FOUND', 422, message, { details: [{ field, message }] });
  }
}

export class ConflictError extends AppError {
  /** A 409 with a specific code (e.g. TARGET_NOT_ACTIVE); CONFLICT when none is given. */
  constructor(message: string, code: ErrorCode = 'CONFLICT') {
    super(code, 409, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, headers: Record<string, string>) {
    super('RATE_LIMITED', 429, 'Too many requests; retry after the delay in Retry-After.', {
      headers: { 'Retry-After': String(retryAfterSeconds), ...headers },
    });
  }
}

export class IdempotencyKeyRequiredError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REQUIRED', 400, 'This request needs an Idempotency-Key header.');
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'This Idempotency-Key was already used with a different request (another body or path).',
    );
  }
}

export class IdempotencyInProgressError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      409,
      'A request with this Idempotency-Key is still being processed.',
      { headers: { 'Retry-After': String(retryAfterSeconds) } },
    );
  }
}

export class TargetUrlUnsafeError extends AppError {
  constructor(reason: string, field = 'base_url') {
    super('TARGET_URL_UNSAFE', 422, `The target URL is not allowed: ${reason}`, {
      details: [{ field, message: reason }],
    });
  }
}

export class ScanCreditsExhaustedError extends AppError {
  constructor() {
    super('SCAN_CREDITS_EXHAUSTED', 402, 'The account has no scan credits left.');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', 413, `The request body exceeds ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'The request body must be JSON (Content-Type: application/json).') {
    super('UNSUPPORTED_MEDIA_TYPE', 415, message);
  }
}

export class SignatureInvalidError extends AppError {
  constructor(message = 'The request signature is not valid.') {
    super('SIGNATURE_INVALID', 401, message);
  }
}

export class WebhookSignatureInvalidError extends AppError {
  constructor(message = 'The webhook signature is not valid.') {
    super('WEBHOOK_SIGNATURE_INVALID', 401, message);
  }
}

export class InternalError extends AppError {
  constructor(message = 'Internal error.', cause?: unknown) {
    super('INTERNAL', 500, message, { cause });
  }
}

/** Narrowing helper for the AWS SDK's modelled exceptions (name-based, works across SDK copies). */
export function isAwsError(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}
