import { listOwnedTargets } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsList } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsList, async ({ query, principal, deps }) => ({
  status: 200,
  body: await listOwnedTargets(deps.db, accountOf(principal).accountId, query),
}));
