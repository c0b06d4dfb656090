import { secretsManager } from '../lib/aws/secrets-manager.ts';
import { planCreateTarget } from '../lib/domain/target-url-writes.ts';
import { toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsCreate } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(
  targetsCreate,
  async ({ body, principal, deps, commit }) =>
    commit(await planCreateTarget(deps, accountOf(principal), body), ({ target, signingSecret }) => ({
      status: 201,
      body: { ...toTargetView(target), signing_secret: signingSecret },
    })),
  () => ({ secrets: secretsManager }), // the target-secrets key (WRO_TARGET_SECRETS_KEY_ARN)
);
