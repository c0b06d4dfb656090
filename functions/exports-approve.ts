import { approve, toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';
import { ApproveExportSchema } from '../lib/schemas/ticket-exports.ts';

export const handler = httpRoute(
  'exports.approve',
  { body: ApproveExportSchema },
  async ({ body, params, principal }) => {
    const { db, config } = runtime();
    const item = await approve(db, accountOf(principal), params.exportId ?? '', body.target_id);
    return { status: 202, body: toExportView(item, config) };
  },
);
