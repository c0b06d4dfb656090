import { listOwnedEventAttempts } from '../lib/domain/target-deliveries.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { eventsAttempts } from '../lib/http/routes/events.ts';

export const handler = httpRoute(eventsAttempts, async ({ params, query, principal, deps }) => ({
  status: 200,
  body: await listOwnedEventAttempts(deps.db, accountOf(principal).accountId, params.eventId, query),
}));
