import * as z from 'zod';
import {
  ATTEMPT_ERROR_CLASSES,
  ATTEMPT_OUTCOMES,
  BLOCKED_REASONS,
  EXPORT_STATUSES,
  FAILURE_REASONS,
} from '../domain/delivery-vocabulary.ts';
import { idPattern } from '../ids.ts';

export const ExportIdParam = z.string().regex(idPattern('export'));

/** Issue fingerprints as scanner ingestion accepts them (lib/schemas/scanner-results.ts). */
export const FingerprintSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');

export const MAX_EXPORT_ISSUES = 100;

export const CreateExportSchema = z
  .object({
    scan_run_id: z.number().int().min(1).meta({ example: 123 }),
    issue_fingerprints: z
      .array(FingerprintSchema)
      .min(1)
      .max(MAX_EXPORT_ISSUES)
      .transform((v) => [...new Set(v)])
      .meta({ example: ['fp-missing-csp-home'] }),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .meta({ id: 'CreateTicketExportRequest' });
export type CreateExportInput = z.output<typeof CreateExportSchema>;

export const ApproveExportSchema = z
  .object({ target_id: z.string().min(1).max(64).meta({ example: 'tgt_0123456789abcdef01234567' }) })
  .meta({ id: 'ApproveTicketExportRequest' });

/** The webhook body of a ticket export — the preview is exactly this, serialized once. */
export const TicketPayloadSchema = z
  .object({
    type: z.literal('ticket_export'),
    export_id: z.string(),
    title: z.string(),
    scan_run: z.object({
      scan_run_id: z.number().int(),
      project_id: z.string(),
      completed_at: z.string().nullable(),
    }),
    issues: z.array(z.record(z.string(), z.unknown())),
    created_at: z.string(),
  })
  .meta({ id: 'TicketExportPayload' });
export type TicketPayload = z.output<typeof TicketPayloadSchema>;

export const ExportSchema = z
  .object({
    id: z.string().meta({ example: 'exp_0123456789abcdef01234567' }),
    status: z.enum(EXPORT_STATUSES),
    scan_run_id: z.number().int(),
    issue_fingerprints: z.array(z.string()),
    title: z.string(),
    preview: TicketPayloadSchema,
    preview_safe: z.boolean(),
    /** What the secret detector still finds in the preview (marker types only, never the values). */
    preview_findings: z.array(z.string()),
    target_id: z.string().nullable(),
    delivery_id: z.string().meta({ description: 'X-WebRiskOps-Delivery-Id / Idempotency-Key / webhook-id' }),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    last_error_class: z.enum(ATTEMPT_ERROR_CLASSES).nullable(),
    last_status_code: z.number().int().nullable(),
    retry_after_seconds: z.number().int().nullable().meta({ description: 'Set while retry_scheduled' }),
    next_attempt_at: z.string().nullable().meta({ description: 'Set while retry_scheduled' }),
    failure_reason: z.enum(FAILURE_REASONS).nullable(),
    blocked_reason: z.enum(BLOCKED_REASONS).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    approved_at: z.string().nullable(),
    exported_at: z.string().nullable(),
  })
  .meta({ id: 'TicketExport' });
export type ExportView = z.output<typeof ExportSchema>;

export const AttemptSchema = z
  .object({
    attempt: z.number().int().meta({ description: '1-based within one approval or retry round' }),
    round: z.number().int().meta({ description: '1 for the approval, +1 for each POST …/retry' }),
    at: z.string(),
    outcome: z.enum(ATTEMPT_OUTCOMES),
    status_code: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
    error_class: z.enum(ATTEMPT_ERROR_CLASSES).nullable(),
    retry_after_seconds: z.number().int().nullable(),
    response_body: z.string().nullable().meta({ description: 'First 1024 characters, secrets redacted' }),
  })
  .meta({ id: 'DeliveryAttempt' });
export type AttemptView = z.output<typeof AttemptSchema>;

export const AttemptListSchema = z
  .object({ export_id: z.string(), items: z.array(AttemptSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'DeliveryAttemptList' });

export const AttemptListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});
