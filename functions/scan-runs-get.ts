import { getOwnedScanRun, toScanRunView } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { scanRunsGet } from '../lib/http/routes/scan-runs.ts';

export const handler = httpRoute(scanRunsGet, async ({ params, principal, deps }) => {
  const run = await getOwnedScanRun(deps.db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: toScanRunView(run) };
});
