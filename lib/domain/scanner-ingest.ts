import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { WritePlan } from '../db/commit.ts';
import {
  completedRunWrite,
  failedRunWrites,
  type IssueRecord,
  issueKind,
  type PageIssueIndex,
  type StoredPageRecord,
  writeScanResultItems,
} from '../db/scan-results-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
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

/**
 * How long the batched item writes may go on retrying refused items, from their start: the function's
 * 25 s timeout (infra/function-sizing.ts) less the request's work before them (body, validation,
 * sanitization) and the commit after them (docs/scanner-results.md, "Storage with exactly-once
 * effect"). A route's function is not given the Lambda context's remaining time, hence a fixed budget.
 */
export const ITEM_WRITES_DEADLINE_MS = 20_000;

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

/** What the pages list filters a page by (PageIssueIndex). */
function pageIssueIndex(issues: readonly ScannerIssue[]): PageIssueIndex {
  const distinct = (pick: (i: ScannerIssue) => string) => [...new Set(issues.map(pick))];
  return {
    issue_severities: distinct((i) => i.severity),
    issue_categories: distinct((i) => i.category),
    issue_kinds: distinct((i) => issueKind(i.severity, i.category)),
    issue_fingerprints: distinct((i) => i.fingerprint),
  };
}

/** Sanitized page and issue records; a fingerprint repeated anywhere in the run is kept once (first wins). */
export function buildRecords(entries: PageEntry[]): { pages: StoredPageRecord[]; issues: IssueRecord[] } {
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
      ...pageIssueIndex(pageIssues),
    };
  });
  return { pages, issues: [...issues.values()] };
}

function pageEntries(result: Extract<ScannerResult, { status: 'completed' }>): PageEntry[] {
  if (result.pages) return result.pages;
  // superRefine guarantees page and artifacts here.
  return [{ page: result.page!, artifacts: result.artifacts!, issues: result.issues ?? [] }];
}

/** The answer for a run that is already terminal: nothing of this postback is applied. */
function duplicateOf(run: Pick<ScanRunItem, 'id' | 'status'>): IngestOutcome {
  return { scan_run_id: run.id, status: run.status as 'completed' | 'failed', duplicate: true };
}

/** A run that turned terminal between the read and the commit (another postback won): its state now. */
const terminalNow =
  (run: ScanRunItem) =>
  ({ index, item }: { index: number; item?: Record<string, unknown> }): IngestOutcome => {
    const status = item?.status;
    if (index !== 0 || (status !== 'completed' && status !== 'failed')) {
      throw new Error(`scan run ${run.id}: commit refused by write ${index} in state ${String(status)}`);
    }
    return duplicateOf({ id: run.id, status });
  };

/**
 * Plans a validated scanner postback with exactly-once effect. `run` is the run as read (consistently)
 * alongside the request's admission.
 * - Unknown run → 422 SCAN_RUN_NOT_FOUND. Terminal run → nothing to write, `duplicate: true`.
 * - Completed: sanitized pages and issues are written now, under deterministic keys (spread over
 *   shards for a large postback) that only the committed ingest id makes visible (a crash here leaves
 *   nothing visible; a retry rewrites the same items); the plan is ONE conditional write moving the
 *   run to completed with its counters, ingest id and shard count. Of concurrent postbacks exactly one
 *   commit succeeds; the others answer as duplicates.
 * - Failed: the plan marks the run failed (error sanitized) and gives its credit back, in one
 *   transaction. Temporary artifact cleanup and failure automation follow from the committed change
 *   (lib/dispatch/reactions/).
 */
export async function planScannerResult(
  db: Db,
  result: ScannerResult,
  run: ScanRunItem | undefined,
  hooks: IngestHooks = {},
): Promise<WritePlan<IngestOutcome>> {
  if (!run) throw new ScanRunNotFoundError();
  if (run.status !== 'queued') {
    return { writes: [], result: duplicateOf(run), onConditionFailed: terminalNow(run) };
  }
  const now = new Date().toISOString();

  if (result.status === 'failed') {
    const error = {
      code: redactText(result.error.code),
      message: redactText(result.error.message),
      ...(result.error.url ? { url: redactText(result.error.url) } : {}),
      ...(result.error.timeoutMs !== undefined ? { timeout_ms: result.error.timeoutMs } : {}),
    };
    return {
      writes: failedRunWrites(db, run, error, now),
      result: { scan_run_id: run.id, status: 'failed', duplicate: false },
      onConditionFailed: terminalNow(run),
    };
  }

  const { pages, issues } = buildRecords(pageEntries(result));
  const ingestId = createHash('sha256').update(JSON.stringify({ pages, issues })).digest('hex').slice(0, 24);
  const shards = await writeScanResultItems(
    db,
    run.id,
    ingestId,
    { pages, issues },
    { deadlineMs: ITEM_WRITES_DEADLINE_MS },
  );
  await hooks.afterItemsWritten?.();
  const counters = computeCounters(result.counters, pages.length, issues);
  return {
    writes: [completedRunWrite(db, run.id, { ingestId, shards }, counters, now)],
    result: { scan_run_id: run.id, status: 'completed', duplicate: false },
    onConditionFailed: terminalNow(run),
  };
}
