import { planRetry, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsRetry } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsRetry, async ({ body, params, principal, deps, commit }) =>
  commit(await planRetry(deps.db, accountOf(principal), params.exportId, body?.target_id), (item) => ({
    status: 202,
    body: toExportView(item, deps.config),
  })),
);
