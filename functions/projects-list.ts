import { listOwnedProjects } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { projectsList } from '../lib/http/routes/projects.ts';

export const handler = httpRoute(projectsList, async ({ query, principal, deps }) => ({
  status: 200,
  body: await listOwnedProjects(deps.db, accountOf(principal).accountId, query),
}));
