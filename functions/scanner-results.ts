import { ingestScannerResult } from '../lib/domain/scanner-ingest.ts';
import { parseScannerResult } from '../lib/domain/scanner-validate.ts';
import { httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

/** Route name `scanner.results.store`: POST /api/scanner/results (X-Scanner-Secret). */
export const handler = httpRoute(
  'scanner.results.store',
  { parseBody: parseScannerResult },
  async ({ body }) => ({
    status: 202,
    body: await ingestScannerResult(runtime().db, body),
  }),
);
