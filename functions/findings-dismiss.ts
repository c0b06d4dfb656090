import { triageFinding } from '../lib/domain/findings.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { findingsDismiss } from '../lib/http/routes/findings.ts';

export const handler = httpRoute(findingsDismiss, async ({ params, body, principal, deps }) => {
  const account = accountOf(principal);
  return {
    status: 200,
    body: await triageFinding(deps.db, account.accountId, params.projectId, params.fingerprint, {
      reason: body.reason,
      comment: body.comment,
      by: `token:${account.tokenId}`,
    }),
  };
});
