import type { Severity } from '../schemas/scan-vocabulary.ts';

/**
 * The findings of a project carried across its completed scan runs, keyed by fingerprint
 * (docs/scanner-results.md, "Findings across scan runs"). This file holds the decision only: given
 * the project's findings before a run and what the run saw, which findings change and how. The
 * reaction that applies it (lib/dispatch/reactions/scan-run-findings.ts) reads and writes.
 */

export const FINDING_STATES = ['open', 'fixed', 'reopened'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

/** Why a finding was dismissed (triage): a dismissal is kept across every later run. */
export const TRIAGE_REASONS = ['false_positive', 'accepted_risk', 'wont_fix'] as const;
export type TriageReason = (typeof TRIAGE_REASONS)[number];

/** What a run changes of a finding. Triage (dismissal) is not part of it: no run ever changes it. */
export interface FindingLifecycle {
  fingerprint: string;
  state: FindingState;
  type: string;
  category: string;
  severity: Severity;
  title: string;
  /** The page it was last seen on: as shown (sanitized) and as compared (normalized). */
  page_url: string;
  page_key: string;
  first_scan_run_id: number;
  last_seen_scan_run_id: number;
  /** The last run that scanned its page successfully (it was seen there, or found absent). */
  last_checked_scan_run_id: number;
  /** The run that found it fixed (null while open or reopened). */
  fixed_scan_run_id: number | null;
  /** The last run that scanned its page with an error status, and that status (null: none since seen). */
  page_error: { scan_run_id: number; status_code: number } | null;
}

/** What a completed run saw: its pages (normalized URL, status) and its issues (deduplicated). */
export interface RunObservation {
  scanRunId: number;
  pages: readonly { normalized_url: string; status_code: number }[];
  issues: readonly {
    fingerprint: string;
    type: string;
    category: string;
    severity: Severity;
    title: string;
    page_url: string;
    page_index: number;
  }[];
}

/** How one finding changed in a run. */
export type FindingChangeKind = 'new' | 'unchanged' | 'reopened' | 'fixed' | 'page_error';

export interface FindingChange {
  kind: FindingChangeKind;
  /** The finding before the run (null for a new one). */
  before: FindingLifecycle | null;
  after: FindingLifecycle;
}

/** The run's delta counters (docs/scanner-results.md, "Delta counters"). */
export interface FindingsDelta {
  new: number;
  fixed: number;
  reopened: number;
  unchanged: number;
  /** Open (or reopened) findings the run did not see and could not clear: page not scanned, or an error. */
  not_rechecked: number;
}

/** A page counts as scanned when it answered 2xx or 3xx: an error page proves nothing about its findings. */
export const scannedSuccessfully = (statusCode: number) => statusCode >= 200 && statusCode < 400;

const isLive = (f: FindingLifecycle) => f.state !== 'fixed';

/**
 * The changes one completed run makes to the project's findings:
 * - seen, never before → `open` (new); seen while open or reopened → unchanged (its last-seen run
 *   and page move on); seen while fixed → `reopened`;
 * - not seen, live, its page scanned successfully in the run → `fixed`;
 * - not seen, live, its page scanned with an error status → stays as it is, the error recorded;
 * - not seen, live, its page not in the run → nothing is written (it is `not_rechecked`);
 * - not seen and fixed → nothing.
 * Findings absent from `previous` and from the run do not exist. The result lists only findings to
 * write; `delta` counts the run's effect.
 */
export function reconcileFindings(
  previous: ReadonlyMap<string, FindingLifecycle>,
  run: RunObservation,
): { changes: FindingChange[]; delta: FindingsDelta } {
  const delta: FindingsDelta = { new: 0, fixed: 0, reopened: 0, unchanged: 0, not_rechecked: 0 };
  const changes: FindingChange[] = [];
  const r = run.scanRunId;
  const pageStatus = new Map<string, number>();
  for (const p of run.pages) {
    // A page listed twice counts as scanned if any of its scans succeeded.
    const known = pageStatus.get(p.normalized_url);
    if (known === undefined || !scannedSuccessfully(known)) pageStatus.set(p.normalized_url, p.status_code);
  }
  const seen = new Set<string>();
  for (const issue of run.issues) {
    seen.add(issue.fingerprint);
    const before = previous.get(issue.fingerprint) ?? null;
    const page = run.pages[issue.page_index];
    const observed = {
      fingerprint: issue.fingerprint,
      type: issue.type,
      category: issue.category,
      severity: issue.severity,
      title: issue.title,
      page_url: issue.page_url,
      page_key: page?.normalized_url ?? issue.page_url,
      last_seen_scan_run_id: r,
      last_checked_scan_run_id: r,
      fixed_scan_run_id: null,
      page_error: null,
    };
    if (!before) {
      delta.new++;
      changes.push({ kind: 'new', before, after: { ...observed, state: 'open', first_scan_run_id: r } });
    } else {
      const kind = before.state === 'fixed' ? 'reopened' : 'unchanged';
      delta[kind]++;
      const state = kind === 'reopened' ? 'reopened' : before.state;
      changes.push({
        kind,
        before,
        after: { ...observed, state, first_scan_run_id: before.first_scan_run_id },
      });
    }
  }
  for (const before of previous.values()) {
    if (seen.has(before.fingerprint) || !isLive(before)) continue;
    const status = pageStatus.get(before.page_key);
    if (status !== undefined && scannedSuccessfully(status)) {
      delta.fixed++;
      changes.push({
        kind: 'fixed',
        before,
        after: {
          ...before,
          state: 'fixed',
          fixed_scan_run_id: r,
          last_checked_scan_run_id: r,
          page_error: null,
        },
      });
      continue;
    }
    delta.not_rechecked++;
    if (status !== undefined) {
      changes.push({
        kind: 'page_error',
        before,
        after: { ...before, page_error: { scan_run_id: r, status_code: status } },
      });
    }
  }
  return { changes, delta };
}

/** Why a live finding was not rechecked by the project's latest applied run (null: it was). */
export function recheckOf(
  f: FindingLifecycle,
  latestRun: number | undefined,
): 'seen' | 'absent' | 'page_error' | 'page_not_scanned' | null {
  if (latestRun === undefined) return null;
  if (f.last_seen_scan_run_id === latestRun) return 'seen';
  if (f.last_checked_scan_run_id === latestRun) return 'absent';
  if (f.page_error?.scan_run_id === latestRun) return 'page_error';
  return 'page_not_scanned';
}
