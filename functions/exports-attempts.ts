import { listOwnedAttempts } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { runtime } from '../lib/runtime.ts';
import { AttemptListQuerySchema } from '../lib/schemas/ticket-exports.ts';

export const handler = httpRoute('exports.attempts', {}, async ({ params, query, principal }) => {
  const page = parseOrThrow(AttemptListQuerySchema, query);
  const body = await listOwnedAttempts(
    runtime().db,
    accountOf(principal).accountId,
    params.exportId ?? '',
    page,
  );
  return { status: 200, body };
});
