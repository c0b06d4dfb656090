import { getOwnedTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { TARGET_ROUTES } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(TARGET_ROUTES.get, async ({ params, principal, deps }) => {
  const target = await getOwnedTarget(deps.db, accountOf(principal).accountId, params.targetId);
  return { status: 200, body: toTargetView(target) };
});
