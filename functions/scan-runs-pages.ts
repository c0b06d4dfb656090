import { listScanRunPages } from '../lib/domain/scan-run-results.ts';
import { getOwnedScanRun } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { scanRunsPages } from '../lib/http/routes/scan-runs.ts';

export const handler = httpRoute(scanRunsPages, async ({ params, query, principal, deps }) => {
  const run = await getOwnedScanRun(deps.db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: await listScanRunPages(deps.db, run, query) };
});
