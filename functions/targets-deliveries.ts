import { listOwnedTargetDeliveries } from '../lib/domain/target-deliveries.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsDeliveries } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsDeliveries, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedTargetDeliveries(deps.db, accountOf(principal).accountId, params.targetId, query),
}));
