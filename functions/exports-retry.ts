import { retry, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('exports.retry', {}, async ({ params, principal }) => {
  const { db, config } = runtime();
  const item = await retry(db, accountOf(principal), params.exportId ?? '');
  return { status: 202, body: toExportView(item, config) };
});
