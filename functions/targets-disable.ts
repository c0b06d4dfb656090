import { planDisableTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsDisable } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsDisable, async ({ params, principal, deps, commit }) =>
  commit(await planDisableTarget(deps.db, accountOf(principal).accountId, params.targetId), (target) => ({
    status: 200,
    body: toTargetView(target),
  })),
);
