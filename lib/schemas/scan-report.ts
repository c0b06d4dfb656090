import * as z from './zod.ts';

/** A run's scan report status (docs/scanner-results.md, "The scan report"). */
export const REPORT_STATUSES = ['not_started', 'pending', 'ready', 'failed', 'unavailable'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The report's formats: the JSON summary and the SARIF 2.1.0 log. */
export const REPORT_FORMATS = ['json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `GET /api/scan-runs/{scanRunId}/report?format=json|sarif` (default json). */
export const ReportQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.object({
    format: z._default(z.enum(REPORT_FORMATS), 'json'),
  }),
);
