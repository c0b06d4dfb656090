import { planRetry, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { EXPORT_ROUTES } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(EXPORT_ROUTES.retry, async ({ body, params, principal, deps, commit }) =>
  commit(await planRetry(deps.db, accountOf(principal), params.exportId, body?.target_id), (item) => ({
    status: 202,
    body: toExportView(item, deps.config),
  })),
);
