import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import {
  commitCompletedRun,
  commitFailedRun,
  type IssueRecord,
  type PageRecord,
  writeScanResultItems,
} from '../db/scan-results-store.ts';
import { getScanRun, type ScanRunItem } from '../db/scan-runs-store.ts';
import { ScanRunNotFoundError } from '../errors.ts';
import { redactHeaders, redactText } from '../sanitize/redact.ts';
import type { PageEntry, ScannerIssue, ScannerResult } from '../schemas/scanner-results.ts';
import { computeCounters } from './scan-counters.ts';

export interface IngestOutcome {
  scan_run_id: number;
  status: 'completed' | 'failed';
  /** True when the run was already terminal (or another postback won): nothing of this one was applied. */
  duplicate: boolean;
}

/** Test seam: runs between the batched item writes and the commit (crash injection). */
export interface IngestHooks {
  afterItemsWritten?: () => Promise<void>;
}

const opt = (s: string | undefined) => (s === undefined ? null : redactText(s));

function toIssueRecord(issue: ScannerIssue, pageUrl: string, pageIndex: number): IssueRecord {
  return {
    fingerprint: issue.fingerprint,
    category: issue.category,
    type: redactText(issue.type),
    severity: issue.severity,
    title: redactText(issue.title),
    description: redactText(issue.description),
    confidence: issue.confidence,
    evidence: redactText(issue.evidence),
    business_impact: opt(issue.businessImpact),
    suggested_remediation: opt(issue.suggestedRemediation),
    reproduction_steps:
      issue.reproductionSteps === undefined
        ? null
        : Array.isArray(issue.reproductionSteps)
          ? issue.reproductionSteps.map(redactText)
          : redactText(issue.reproductionSteps),
    screenshot_path: issue.screenshotPath ?? null,
    page_url: pageUrl,
    page_index: pageIndex,
  };
}

/** Sanitized page and issue records; a fingerprint repeated anywhere in the run is kept once (first wins). */
export function buildRecords(entries: PageEntry[]): { pages: PageRecord[]; issues: IssueRecord[] } {
  const issues = new Map<string, IssueRecord>();
  const pages = entries.map((entry, index) => {
    const url = redactText(entry.page.url);
    const pageIssues = entry.issues ?? [];
    for (const issue of pageIssues) {
      if (!issues.has(issue.fingerprint)) issues.set(issue.fingerprint, toIssueRecord(issue, url, index));
    }
    return {
      index,
      url,
      normalized_url: redactText(entry.page.normalizedUrl),
      status_code: entry.page.statusCode,
      page_type: entry.page.pageType,
      response_headers: redactHeaders(entry.page.responseHeaders),
      console_errors_count: entry.page.consoleErrorsCount ?? null,
      network_errors_count: entry.page.networkErrorsCount ?? null,
      artifacts: {
        screenshot_path: entry.artifacts.screenshotPath,
        html_snapshot_path: entry.artifacts.htmlSnapshotPath ?? null,
      },
      issues_count: pageIssues.length,
    };
  });
  return { pages, issues: [...issues.values()] };
}

function pageEntries(result: Extract<ScannerResult, { status: 'completed' }>): PageEntry[] {
  if (result.pages) return result.pages;
  // superRefine guarantees page and artifacts here.
  return [{ page: result.page!, artifacts: result.artifacts!, issues: result.issues ?? [] }];
}

async function terminalOutcome(db: Db, scanRunId: number): Promise<IngestOutcome> {
  const run = (await getScanRun(db, scanRunId, true)) as ScanRunItem;
  return { scan_run_id: scanRunId, status: run.status as 'completed' | 'failed', duplicate: true };
}

/**
 * Applies a validated scanner postback with exactly-once effect.
 * - Unknown run → 422 SCAN_RUN_NOT_FOUND. Terminal run → nothing written, `duplicate: true`.
 * - Completed: sanitized pages and issues are written under deterministic keys, then ONE conditional
 *   write moves the run to completed with its counters and ingest id. Of concurrent postbacks exactly
 *   one commit succeeds; the others report the outcome as a duplicate.
 * - Failed: ONE transaction marks the run failed (error sanitized) and gives its credit back. Temporary
 *   artifact cleanup and failure automation follow from the committed change (lib/dispatch/reactions/).
 */
export async function ingestScannerResult(
  db: Db,
  result: ScannerResult,
  hooks: IngestHooks = {},
): Promise<IngestOutcome> {
  const run = await getScanRun(db, result.scanRunId, true);
  if (!run) throw new ScanRunNotFoundError();
  if (run.status !== 'queued') return { scan_run_id: run.id, status: run.status, duplicate: true };
  const now = new Date().toISOString();

  if (result.status === 'failed') {
    const error = {
      code: redactText(result.error.code),
      message: redactText(result.error.message),
      ...(result.error.url ? { url: redactText(result.error.url) } : {}),
      ...(result.error.timeoutMs !== undefined ? { timeout_ms: result.error.timeoutMs } : {}),
    };
    const applied = await commitFailedRun(db, run, error, now);
    return applied
      ? { scan_run_id: run.id, status: 'failed', duplicate: false }
      : terminalOutcome(db, run.id);
  }

  const { pages, issues } = buildRecords(pageEntries(result));
  const ingestId = createHash('sha256').update(JSON.stringify({ pages, issues })).digest('hex').slice(0, 24);
  await writeScanResultItems(db, run.id, ingestId, pages, issues);
  await hooks.afterItemsWritten?.();
  const counters = computeCounters(result.counters, pages.length, issues);
  const applied = await commitCompletedRun(db, run.id, ingestId, counters, now);
  return applied
    ? { scan_run_id: run.id, status: 'completed', duplicate: false }
    : terminalOutcome(db, run.id);
}
