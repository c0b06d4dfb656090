import { listOwnedAttempts } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsAttempts } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsAttempts, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedAttempts(deps.db, accountOf(principal).accountId, params.exportId, query),
}));
