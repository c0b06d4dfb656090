import { listOwnedAttempts } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { EXPORT_ROUTES } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(EXPORT_ROUTES.attempts, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedAttempts(deps.db, accountOf(principal).accountId, params.exportId, query),
}));
