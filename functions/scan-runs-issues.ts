import { listRunIssues } from '../lib/db/scan-results-store.ts';
import { getOwnedScanRun } from '../lib/domain/scan-runs.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { runtime } from '../lib/runtime.ts';
import { IssuesQuerySchema } from '../lib/schemas/scan-results.ts';

export const handler = httpRoute('scan-runs.issues', {}, async ({ params, query, principal }) => {
  const { db } = runtime();
  const q = parseOrThrow(IssuesQuerySchema, query);
  const run = await getOwnedScanRun(db, accountOf(principal).accountId, params.scanRunId);
  return { status: 200, body: await listRunIssues(db, run, q) };
});
