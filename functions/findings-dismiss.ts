import { triageFinding } from '../lib/domain/findings.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { findingsDismiss } from '../lib/http/routes/findings.ts';

export const handler = httpRoute(findingsDismiss, async ({ params, body, principal, deps }) => ({
  status: 200,
  body: await triageFinding(
    deps.db,
    accountOf(principal).accountId,
    params.projectId,
    params.fingerprint,
    body,
  ),
}));
