import {
  ATTEMPT_ERROR_CLASSES,
  ATTEMPT_OUTCOMES,
  BLOCKED_REASONS,
  EXPORT_STATUSES,
  FAILURE_REASONS,
} from '../domain/delivery-vocabulary.ts';
import { described, FingerprintSchema, integer, PageQuerySchema } from './common.ts';
import * as z from './zod.ts';

export const MAX_EXPORT_ISSUES = 100;

export const CreateExportSchema = z
  .object({
    scan_run_id: integer().check(z.minimum(1)).register(z.globalRegistry, { example: 123 }),
    issue_fingerprints: z
      .pipe(
        z.array(FingerprintSchema).check(z.minLength(1), z.maxLength(MAX_EXPORT_ISSUES)),
        z.transform((v: string[]) => [...new Set(v)]),
      )
      .register(z.globalRegistry, { example: ['fp-missing-csp-home'] }),
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  })
  .register(z.globalRegistry, { id: 'CreateTicketExportRequest' });
export type CreateExportInput = z.output<typeof CreateExportSchema>;

export const ApproveExportSchema = z
  .object({
    target_id: z
      .string()
      .check(z.minLength(1), z.maxLength(64))
      .register(z.globalRegistry, { example: 'tgt_0123456789abcdef01234567' }),
  })
  .register(z.globalRegistry, { id: 'ApproveTicketExportRequest' });

/** The webhook body of a ticket export — the preview is exactly this, serialized once. */
export const TicketPayloadSchema = z
  .object({
    type: z.literal('ticket_export'),
    export_id: z.string(),
    title: z.string(),
    scan_run: z.object({
      scan_run_id: integer(),
      project_id: z.string(),
      completed_at: z.nullable(z.string()),
    }),
    issues: z.array(z.record(z.string(), z.unknown())),
    created_at: z.string(),
  })
  .register(z.globalRegistry, { id: 'TicketExportPayload' });
export type TicketPayload = z.output<typeof TicketPayloadSchema>;

export const ExportSchema = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'exp_0123456789abcdef01234567' }),
    status: z.enum(EXPORT_STATUSES),
    scan_run_id: integer(),
    issue_fingerprints: z.array(z.string()),
    title: z.string(),
    preview: TicketPayloadSchema,
    preview_safe: z.boolean(),
    /** What the secret detector still finds in the preview (marker types only, never the values). */
    preview_findings: z.array(z.string()),
    target_id: z.nullable(z.string()),
    delivery_id: described(z.string(), 'X-WebRiskOps-Delivery-Id / Idempotency-Key / webhook-id'),
    attempts: integer(),
    max_attempts: integer(),
    last_error_class: z.nullable(z.enum(ATTEMPT_ERROR_CLASSES)),
    last_status_code: z.nullable(integer()),
    retry_after_seconds: described(z.nullable(integer()), 'Set while retry_scheduled'),
    next_attempt_at: described(z.nullable(z.string()), 'Set while retry_scheduled'),
    failure_reason: z.nullable(z.enum(FAILURE_REASONS)),
    blocked_reason: z.nullable(z.enum(BLOCKED_REASONS)),
    created_at: z.string(),
    updated_at: z.string(),
    approved_at: z.nullable(z.string()),
    exported_at: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'TicketExport' });
export type ExportView = z.output<typeof ExportSchema>;

export const AttemptSchema = z
  .object({
    attempt: described(integer(), '1-based within one approval or retry round'),
    round: described(integer(), '1 for the approval, +1 for each POST …/retry'),
    at: z.string(),
    outcome: z.enum(ATTEMPT_OUTCOMES),
    status_code: z.nullable(integer()),
    duration_ms: z.nullable(integer()),
    error_class: z.nullable(z.enum(ATTEMPT_ERROR_CLASSES)),
    retry_after_seconds: z.nullable(integer()),
    response_body: described(z.nullable(z.string()), 'First 1024 characters, secrets redacted'),
  })
  .register(z.globalRegistry, { id: 'DeliveryAttempt' });
export type AttemptView = z.output<typeof AttemptSchema>;

export const AttemptListSchema = z
  .object({ export_id: z.string(), items: z.array(AttemptSchema), next_cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'DeliveryAttemptList' });

export const AttemptListQuerySchema = PageQuerySchema;
