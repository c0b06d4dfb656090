/**
 * The words of webhook delivery, defined once: states, attempt outcomes, error classes and the reasons
 * a delivery ends failed or blocked (docs/ticket-exports.md). Schemas, stores and the worker import them
 * from here.
 */

/** Webhook events besides ticket exports (docs/ticket-exports.md, "Events"). */
export const WEBHOOK_EVENT_TYPES = ['scan_run.failed', 'target.disabled', 'export.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Every state a delivery (ticket export or event delivery) can be in. */
export const DELIVERY_STATUSES = [
  'pending_approval',
  'queued',
  'delivering',
  'retry_scheduled',
  'exported',
  'delivered',
  'failed',
  'blocked',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The states a ticket export shows (`delivered` is an event delivery's success). */
export const EXPORT_STATUSES = [
  'pending_approval',
  'queued',
  'delivering',
  'retry_scheduled',
  'exported',
  'failed',
  'blocked',
] as const satisfies readonly DeliveryStatus[];
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** What one attempt ended in, as the attempt log records it. */
export const ATTEMPT_OUTCOMES = ['delivered', 'retry_scheduled', 'failed', 'blocked'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * Outcome classes of one webhook attempt: 2xx → delivered; 408, 425, 429, 5xx, timeouts and connection
 * errors → retry; 410 → the target is gone; other 4xx and 3xx (redirects are never followed) → failed.
 */
export const ATTEMPT_ERROR_CLASSES = [
  'timeout',
  'connection_error',
  'dns_error',
  'http_request_timeout',
  'http_too_early',
  'http_rate_limited',
  'http_server_error',
  'http_gone',
  'http_client_error',
  'http_redirect',
  'http_invalid_status',
  'target_disabled',
  'target_not_allowed',
  'target_url_unsafe',
  'target_missing',
  'processing_error',
] as const;
export type AttemptErrorClass = (typeof ATTEMPT_ERROR_CLASSES)[number];

/** Why a delivery ended `failed`. */
export const FAILURE_REASONS = [
  'receiver_rejected',
  'receiver_gone',
  'attempts_exhausted',
  'processing_error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Why a delivery ended `blocked` (found when the target was re-checked right before sending). */
export const BLOCKED_REASONS = [
  'target_disabled',
  'target_not_allowed',
  'target_url_unsafe',
  'target_missing',
] as const;
export type BlockedReason = (typeof BLOCKED_REASONS)[number];

/** A rotation's grace window: default 24 h, at most 7 days, 0 ends the old secret at once. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;
