import { planRecoverTarget } from '../lib/domain/target-recovery.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsRecover } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsRecover, async ({ body, params, principal, deps, commit }) =>
  commit(await planRecoverTarget(deps.db, accountOf(principal), params.targetId, body.since), (result) => ({
    status: 202,
    body: result,
  })),
);
