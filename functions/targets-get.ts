import { getOwnedTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('targets.get', {}, async ({ params, principal }) => {
  const target = await getOwnedTarget(runtime().db, accountOf(principal).accountId, params.targetId ?? '');
  return { status: 200, body: toTargetView(target) };
});
