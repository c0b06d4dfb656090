import { getOwnedExport, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsGet } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsGet, async ({ params, principal, deps }) => {
  const item = await getOwnedExport(deps.db, accountOf(principal).accountId, params.exportId);
  return { status: 200, body: toExportView(item, deps.config) };
});
