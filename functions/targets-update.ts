import { planUpdateTarget } from '../lib/domain/target-url-writes.ts';
import { toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsUpdate } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(targetsUpdate, async ({ body, params, principal, deps, commit }) =>
  commit(await planUpdateTarget(deps, accountOf(principal), params.targetId, body), (target) => ({
    status: 200,
    body: toTargetView(target),
  })),
);
