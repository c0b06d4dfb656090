import { rotateSecret, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('targets.rotate-secret', {}, async ({ params, principal }) => {
  const { db, config } = runtime();
  const { target, signingSecret } = await rotateSecret(
    { db, config },
    accountOf(principal).accountId,
    params.targetId ?? '',
  );
  return { status: 200, body: { ...toTargetView(target), signing_secret: signingSecret } };
});
