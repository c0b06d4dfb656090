import { listOwnedTargets } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';

export const handler = httpRoute('targets.list', async ({ query, principal, deps }) => ({
  status: 200,
  body: await listOwnedTargets(deps.db, accountOf(principal).accountId, query),
}));
