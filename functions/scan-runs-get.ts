import { getOwnedScanRun, toScanRunView } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('scan-runs.get', {}, async ({ params, principal }) => {
  const run = await getOwnedScanRun(runtime().db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: toScanRunView(run) };
});
