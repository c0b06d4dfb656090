import { secretsManager } from '../lib/aws/secrets-manager.ts';
import { planRotateSecret, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { targetsRotateSecret } from '../lib/http/routes/targets.ts';

export const handler = httpRoute(
  targetsRotateSecret,
  async ({ body, params, principal, deps, commit }) =>
    commit(
      await planRotateSecret(
        deps,
        accountOf(principal).accountId,
        params.targetId,
        body?.grace_period_seconds,
      ),
      ({ target, signingSecret }) => ({
        status: 200,
        body: { ...toTargetView(target), signing_secret: signingSecret },
      }),
    ),
  () => ({ secrets: secretsManager }), // the target-secrets key (WRO_TARGET_SECRETS_KEY_ARN)
);
