import type { Reaction } from './reaction.ts';
import { eventDeliveryQueued } from './reactions/event-delivery-queued.ts';
import { exportFailedNotify } from './reactions/export-failed-notify.ts';
import { exportQueued } from './reactions/export-queued.ts';
import { exportTicketed } from './reactions/export-ticketed.ts';
import { scanRunFailedCleanup } from './reactions/scan-run-failed-cleanup.ts';
import { scanRunFailedNotify } from './reactions/scan-run-failed-notify.ts';
import { scanRunFindings } from './reactions/scan-run-findings.ts';
import { scanRunReport } from './reactions/scan-run-report.ts';
import { targetDisabledNotify } from './reactions/target-disabled-notify.ts';

/** Every reaction the dispatcher runs, in order. Add a reaction here and in its own file. */
export const REACTIONS: Reaction[] = [
  exportQueued,
  exportTicketed,
  scanRunFailedCleanup,
  scanRunFailedNotify,
  scanRunFindings,
  eventDeliveryQueued,
  targetDisabledNotify,
  exportFailedNotify,
  // After scan-run-findings: the report carries the run's findings delta when it was applied.
  scanRunReport,
];
