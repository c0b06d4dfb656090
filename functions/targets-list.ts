import { listOwnedTargets } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { runtime } from '../lib/runtime.ts';
import { TargetListQuerySchema } from '../lib/schemas/targets.ts';

export const handler = httpRoute('targets.list', {}, async ({ query, principal }) => {
  const page = parseOrThrow(TargetListQuerySchema, query);
  return { status: 200, body: await listOwnedTargets(runtime().db, accountOf(principal).accountId, page) };
});
