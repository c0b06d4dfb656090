import * as z from 'zod';

export const SCAN_RUN_STATUSES = ['queued', 'completed', 'failed'] as const;
export type ScanRunStatus = (typeof SCAN_RUN_STATUSES)[number];

export const ScanRunCountersSchema = z
  .object({
    pages_scanned: z.number().int(),
    issues_count: z.number().int(),
    critical_count: z.number().int(),
    high_count: z.number().int(),
    medium_count: z.number().int(),
    low_count: z.number().int(),
    info_count: z.number().int(),
    risk_score: z.number(),
    source: z.enum(['scanner', 'derived']),
  })
  .meta({ id: 'ScanRunCounters' });

export const ScanRunSchema = z
  .object({
    scan_run_id: z.number().int().meta({ example: 123 }),
    project_id: z.string(),
    status: z.enum(SCAN_RUN_STATUSES),
    counters: ScanRunCountersSchema.nullable(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        url: z.string().optional(),
        timeout_ms: z.number().optional(),
      })
      .nullable(),
    report_status: z.enum(['not_started', 'ready', 'unavailable']),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'ScanRun' });
export type ScanRunView = z.output<typeof ScanRunSchema>;

export const CreateScanRunResponseSchema = z
  .object({ scan_run_id: z.number().int(), status: z.literal('queued'), project_id: z.string() })
  .meta({ id: 'CreateScanRunResponse' });

/** Path parameter: a strict positive integer, else the run does not exist (404). */
export const ScanRunIdParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number);
