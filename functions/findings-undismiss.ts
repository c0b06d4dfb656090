import { triageFinding } from '../lib/domain/findings.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { findingsUndismiss } from '../lib/http/routes/findings.ts';

export const handler = httpRoute(findingsUndismiss, async ({ params, principal, deps }) => ({
  status: 200,
  body: await triageFinding(
    deps.db,
    accountOf(principal).accountId,
    params.projectId,
    params.fingerprint,
    null,
  ),
}));
