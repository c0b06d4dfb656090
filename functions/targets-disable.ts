import { planDisableTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';

export const handler = httpRoute('targets.disable', async ({ params, principal, deps, commit }) =>
  commit(await planDisableTarget(deps.db, accountOf(principal).accountId, params.targetId), (target) => ({
    status: 200,
    body: toTargetView(target),
  })),
);
