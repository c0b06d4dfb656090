import type { Db } from '../db/client.ts';
import {
  createScanRunReservingCredit,
  getScanRun,
  nextScanRunId,
  type ScanRunItem,
} from '../db/scan-runs-store.ts';
import { NotFoundError } from '../errors.ts';
import { ScanRunIdParam, type ScanRunView } from '../schemas/scan-runs.ts';
import { getOwnedProject } from './projects.ts';

export async function createScanRun(db: Db, accountId: string, projectId: string): Promise<ScanRunItem> {
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
  await createScanRunReservingCredit(db, run);
  return run;
}

/** Reads a run the account owns; a malformed id, a missing run and another account's run are all 404. */
export async function getOwnedScanRun(
  db: Db,
  accountId: string,
  rawId: string | undefined,
): Promise<ScanRunItem> {
  const parsed = ScanRunIdParam.safeParse(rawId ?? '');
  const run = parsed.success ? await getScanRun(db, parsed.data) : undefined;
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
    report_status: run.report_status,
    created_at: run.created_at,
    updated_at: run.updated_at,
    completed_at: run.completed_at,
  };
}
