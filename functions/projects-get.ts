import { getOwnedProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';

export const handler = httpRoute('projects.get', async ({ params, principal, deps }) => {
  const project = await getOwnedProject(deps.db, accountOf(principal).accountId, params.projectId);
  return { status: 200, body: toProjectView(project) };
});
