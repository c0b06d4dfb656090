import { createScanRun } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('scan-runs.create', {}, async ({ params, principal }) => {
  const run = await createScanRun(runtime().db, accountOf(principal).accountId, params.projectId ?? '');
  return { status: 201, body: { scan_run_id: run.id, status: run.status, project_id: run.project_id } };
});
