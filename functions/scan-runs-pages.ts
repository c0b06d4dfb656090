import { listRunPages } from '../lib/db/scan-results-store.ts';
import { getOwnedScanRun } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { runtime } from '../lib/runtime.ts';
import { PagesQuerySchema } from '../lib/schemas/scan-results.ts';

export const handler = httpRoute('scan-runs.pages', {}, async ({ params, query, principal }) => {
  const { db } = runtime();
  const q = parseOrThrow(PagesQuerySchema, query);
  const run = await getOwnedScanRun(db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: await listRunPages(db, run, q) };
});
