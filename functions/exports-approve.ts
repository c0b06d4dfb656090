import { planApprove, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsApprove } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsApprove, async ({ body, params, principal, deps, commit }) =>
  commit(await planApprove(deps.db, accountOf(principal), params.exportId, body.target_id), (item) => ({
    status: 202,
    body: toExportView(item, deps.config),
  })),
);
