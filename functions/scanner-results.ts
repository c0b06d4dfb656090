import { ingestScannerResult } from '../lib/domain/scanner-ingest.ts';
import { httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';
import { ScannerResultSchema } from '../lib/schemas/scanner-results.ts';

/** Route name `scanner.results.store`: POST /api/scanner/results (X-Scanner-Secret). */
export const handler = httpRoute(
  'scanner.results.store',
  { body: ScannerResultSchema },
  async ({ body }) => ({
    status: 202,
    body: await ingestScannerResult(runtime().db, body),
  }),
);
