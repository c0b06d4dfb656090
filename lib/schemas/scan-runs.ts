import { integer } from './common.ts';
import * as z from './zod.ts';

export const SCAN_RUN_STATUSES = ['queued', 'completed', 'failed'] as const;
export type ScanRunStatus = (typeof SCAN_RUN_STATUSES)[number];

export const ScanRunCountersSchema = z
  .object({
    pages_scanned: integer(),
    issues_count: integer(),
    critical_count: integer(),
    high_count: integer(),
    medium_count: integer(),
    low_count: integer(),
    info_count: integer(),
    risk_score: z.number(),
    source: z.enum(['scanner', 'derived']),
  })
  .register(z.globalRegistry, { id: 'ScanRunCounters' });

export const ScanRunSchema = z
  .object({
    scan_run_id: integer().register(z.globalRegistry, { example: 123 }),
    project_id: z.string(),
    status: z.enum(SCAN_RUN_STATUSES),
    counters: z.nullable(ScanRunCountersSchema),
    error: z.nullable(
      z.object({
        code: z.string(),
        message: z.string(),
        url: z.optional(z.string()),
        timeout_ms: z.optional(z.number()),
      }),
    ),
    report_status: z.enum(['not_started', 'ready', 'unavailable']),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'ScanRun' });
export type ScanRunView = z.output<typeof ScanRunSchema>;

export const CreateScanRunResponseSchema = z
  .object({ scan_run_id: integer(), status: z.literal('queued'), project_id: z.string() })
  .register(z.globalRegistry, { id: 'CreateScanRunResponse' });
