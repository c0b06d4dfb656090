import { planCreateScanRun } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { scanRunsCreate } from '../lib/http/routes/scan-runs.ts';

export const handler = httpRoute(scanRunsCreate, async ({ params, principal, deps, commit }) =>
  commit(await planCreateScanRun(deps.db, accountOf(principal).accountId, params.projectId), (run) => ({
    status: 201,
    body: { scan_run_id: run.id, status: run.status, project_id: run.project_id },
  })),
);
