export const SCAN_RUN_STATUSES = ['queued', 'completed', 'failed'] as const;
export type ScanRunStatus = (typeof SCAN_RUN_STATUSES)[number];
