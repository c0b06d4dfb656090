import { PageQuerySchema } from './common.ts';
import * as z from './zod.ts';

export const SCAN_RUN_STATUSES = ['queued', 'completed', 'failed'] as const;
export type ScanRunStatus = (typeof SCAN_RUN_STATUSES)[number];

/** `GET /api/projects/{projectId}/scan-runs`: a page of the project's runs, newest first, of one status. */
export const ScanRunListQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.extend(PageQuerySchema(), {
    status: z.optional(z.enum(SCAN_RUN_STATUSES)),
  }),
);
