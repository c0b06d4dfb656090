import { listOwnedTargetDeliveries } from '../lib/domain/target-deliveries.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { TARGET_ROUTES } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(TARGET_ROUTES.deliveries, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedTargetDeliveries(deps.db, accountOf(principal).accountId, params.targetId, query),
}));
