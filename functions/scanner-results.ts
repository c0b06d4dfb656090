import { secretsManager } from '../lib/aws/secrets-manager.ts';
import { getScanRun } from '../lib/db/scan-runs-store.ts';
import { planScannerResult } from '../lib/domain/scanner-ingest.ts';
import { httpRoute } from '../lib/http/route-handler.ts';
import { scannerResults } from '../lib/http/routes/scanner.ts';

/** Route name `scanner.results.store`: POST /api/scanner/results (X-Scanner-Secret). */
export const handler = httpRoute(
  scannerResults,
  {
    // The run is read in the same round trip as the rate limit and the idempotency claim.
    preload: ({ body }, deps) => getScanRun(deps.db, body.scanRunId, true),
    handle: async ({ body, preloaded, deps, commit }) =>
      commit(await planScannerResult(deps.db, body, preloaded), (outcome) => ({
        status: 202,
        body: outcome,
      })),
  },
  () => ({ secrets: secretsManager }), // the scanner secret (WRO_SCANNER_SECRET_ARN)
);
