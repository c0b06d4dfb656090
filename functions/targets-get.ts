import { getOwnedTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsGet } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsGet, async ({ params, principal, deps }) => {
  const target = await getOwnedTarget(deps.db, accountOf(principal).accountId, params.targetId);
  return { status: 200, body: toTargetView(target) };
});
