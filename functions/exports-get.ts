import { getOwnedExport, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('exports.get', {}, async ({ params, principal }) => {
  const { db, config } = runtime();
  const item = await getOwnedExport(db, accountOf(principal).accountId, params.exportId ?? '');
  return { status: 200, body: toExportView(item, config) };
});
