import type { PresignRequest } from '../artifacts/presign.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import { AppError, ConflictError } from '../errors.ts';
import type { ReportFormat } from '../schemas/scan-report.ts';
import { REPORT_CONTENT_TYPES, reportKey } from './scan-report.ts';

/**
 * How `GET /api/scan-runs/{scanRunId}/report` answers (docs/scanner-results.md, "The scan report").
 * A Lambda answer is at most 6 MB and carries its body as JSON text, where a JSON document's quotes
 * and backslashes take two characters each: a document of up to INLINE_MAX_BYTES is answered in the
 * body (at most twice that as Lambda's JSON), a larger one with `303 See Other` to an expiring URL of
 * the stored document (S3 presigned; the local artifact server locally).
 */
export const INLINE_MAX_BYTES = 2 * 1024 * 1024;
/** How long a report URL is valid: long enough to follow a redirect and download, short enough not to be shared. */
export const REPORT_URL_TTL_SECONDS = 300;
/** A pending report is usually built within seconds of the commit. */
export const REPORT_RETRY_AFTER_SECONDS = 2;

export type ReportAnswer =
  | { kind: 'inline'; contentType: string; body: string }
  | { kind: 'redirect'; location: string };

export interface ReportAccess {
  presign(req: PresignRequest): string;
  fetchText(url: string): Promise<string>;
}

/** Runs completed before reports existed are `ready` without a stored report (no `report_bytes`). */
export const LEGACY_NO_REPORT = {
  code: 'REPORT_NOT_BUILT',
  message: 'The run completed before scan reports were built; it has none.',
} as const;

/** The report status and error a customer sees (a legacy `ready` without documents is `failed`). */
export function reportStatusOf(run: ScanRunItem): Pick<ScanRunItem, 'report_status'> & {
  report_error: { code: string; message: string } | null;
} {
  if (run.report_status === 'ready' && !run.report_bytes)
    return { report_status: 'failed', report_error: { ...LEGACY_NO_REPORT } };
  return { report_status: run.report_status, report_error: run.report_error ?? null };
}

/** The run's report in this format, or the 409 that says why there is none (yet). */
export async function answerReport(
  run: ScanRunItem,
  format: ReportFormat,
  access: ReportAccess,
): Promise<ReportAnswer> {
  if (run.status === 'queued')
    throw new ConflictError(
      `Scan run ${run.id} has not completed yet; its report is built when it completes.`,
      'SCAN_RUN_NOT_COMPLETED',
    );
  if (run.status === 'failed')
    throw new ConflictError(
      `Scan run ${run.id} failed${run.error ? ` (${run.error.code})` : ''}: a failed run has no report.`,
      'SCAN_RUN_NOT_COMPLETED',
    );
  const { report_status, report_error } = reportStatusOf(run);
  if (report_status === 'failed')
    throw new ConflictError(
      `The report of scan run ${run.id} could not be built (${report_error?.code ?? 'UNKNOWN'}): ${report_error?.message ?? 'no reason recorded'}`,
      'REPORT_FAILED',
    );
  const bytes = run.report_bytes?.[format];
  if (report_status !== 'ready' || bytes === undefined)
    throw new AppError(
      'REPORT_NOT_READY',
      409,
      `The report of scan run ${run.id} is being built (report_status: pending); retry after Retry-After.`,
      { headers: { 'Retry-After': String(REPORT_RETRY_AFTER_SECONDS) } },
    );
  const contentType = REPORT_CONTENT_TYPES[format];
  const url = access.presign({
    key: reportKey(run.id, format),
    contentType,
    expiresInSeconds: REPORT_URL_TTL_SECONDS,
  });
  if (bytes > INLINE_MAX_BYTES) return { kind: 'redirect', location: url };
  return { kind: 'inline', contentType, body: await access.fetchText(url) };
}

/** Reads a stored report through its signed URL (S3 or the local artifact server). */
export async function fetchReportText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`report storage answered ${res.status}`);
  return res.text();
}
