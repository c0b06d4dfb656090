import { planEnableTarget } from '../lib/domain/target-url-writes.ts';
import { toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsEnable } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsEnable, async ({ params, principal, deps, commit }) =>
  commit(await planEnableTarget(deps, accountOf(principal), params.targetId), (target) => ({
    status: 200,
    body: toTargetView(target),
  })),
);
