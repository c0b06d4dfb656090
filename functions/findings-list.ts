import { listOwnedFindings } from '../lib/domain/findings.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { findingsList } from '../lib/http/routes/findings.ts';

export const handler = httpRoute(findingsList, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedFindings(deps.db, accountOf(principal).accountId, params.projectId, query),
}));
