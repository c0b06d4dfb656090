import { listOwnedScanRuns } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { scanRunsList } from '../lib/http/routes/scan-runs.ts';

export const handler = httpRoute(scanRunsList, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedScanRuns(deps.db, accountOf(principal).accountId, params.projectId, query),
}));
