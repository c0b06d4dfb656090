import { getOwnedScanRun, toScanRunView } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';

export const handler = httpRoute('scan-runs.get', async ({ params, principal, deps }) => {
  const run = await getOwnedScanRun(deps.db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: toScanRunView(run) };
});
