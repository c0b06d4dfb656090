import { getOwnedTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';

export const handler = httpRoute('targets.get', async ({ params, principal, deps }) => {
  const target = await getOwnedTarget(deps.db, accountOf(principal).accountId, params.targetId);
  return { status: 200, body: toTargetView(target) };
});
