import type { Db } from '../db/client.ts';
import type { ConditionFailure, WritePlan } from '../db/commit.ts';
import {
  createScanRunWrites,
  getScanRun,
  listProjectScanRuns,
  nextScanRunId,
  type ScanRunItem,
} from '../db/scan-runs-store.ts';
import { NotFoundError, ScanCreditsExhaustedError } from '../errors.ts';
import type { ScanRunView } from '../schemas/responses.ts';
import type { ScanRunStatus } from '../schemas/scan-runs.ts';
import { toPage } from './pages.ts';
import { getOwnedProject } from './projects.ts';
import { reportStatusOf } from './report-delivery.ts';

/** Entry 0 (the account's credit) failing means no credit was left; entry 1 would be an id reused. */
export function explainCreateRunFailure(failure: ConditionFailure): never {
  if (failure.index === 0) throw new ScanCreditsExhaustedError();
  throw new Error(`scan run id reused (write ${failure.index})`);
}

/** A new queued run of an owned project, reserving one scan credit (none left: 402). */
export async function planCreateScanRun(
  db: Db,
  accountId: string,
  projectId: string,
): Promise<WritePlan<ScanRunItem>> {
  await getOwnedProject(db, accountId, projectId);
  const id = await nextScanRunId(db);
  const now = new Date().toISOString();
  const run: ScanRunItem = {
    id,
    account_id: accountId,
    project_id: projectId,
    status: 'queued',
    credit_reserved: true,
    counters: null,
    error: null,
    report_status: 'not_started',
    temp_prefix: `tmp/scan-runs/${id}/`,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  return {
    writes: createScanRunWrites(db, run),
    result: run,
    onConditionFailed: explainCreateRunFailure,
  };
}

/** Reads a run the account owns; a missing run and another account's run are both 404. */
export async function getOwnedScanRun(db: Db, accountId: string, scanRunId: number): Promise<ScanRunItem> {
  const run = await getScanRun(db, scanRunId);
  if (!run || run.account_id !== accountId) throw new NotFoundError('Scan run not found.');
  return run;
}

export function toScanRunView(run: ScanRunItem): ScanRunView {
  return {
    scan_run_id: run.id,
    project_id: run.project_id,
    status: run.status,
    counters: (run.counters as ScanRunView['counters']) ?? null,
    error: run.error,
    ...reportStatusOf(run),
    created_at: run.created_at,
    updated_at: run.updated_at,
    completed_at: run.completed_at,
    // `pending` from the completion until the dispatcher applies it; a run completed before findings
    // were tracked has none, and never will (docs/scanner-results.md, "Findings across scan runs").
    findings_status: run.findings_status ?? null,
    findings_delta: run.findings_delta ?? null,
  };
}

/**
 * The runs of a project the account owns, newest first, optionally of one status; another account's
 * project is 404 like a missing one (docs/scanner-results.md, "Listing scan runs").
 */
export async function listOwnedScanRuns(
  db: Db,
  accountId: string,
  projectId: string,
  query: { limit: number; cursor?: string; status?: ScanRunStatus },
): Promise<{ items: ScanRunView[]; next_cursor: string | null }> {
  await getOwnedProject(db, accountId, projectId);
  return toPage(await listProjectScanRuns(db, { accountId, projectId, ...query }), toScanRunView);
}
