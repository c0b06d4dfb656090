import { listOwnedExports } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsList } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsList, async ({ query, principal, deps }) => ({
  status: 200,
  body: await listOwnedExports(deps.db, deps.config, accountOf(principal).accountId, query),
}));
