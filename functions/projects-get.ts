import { getOwnedProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { projectsGet } from '../lib/http/routes/projects.ts';

export const handler = httpRoute(projectsGet, async ({ params, principal, deps }) => {
  const project = await getOwnedProject(deps.db, accountOf(principal).accountId, params.projectId);
  return { status: 200, body: toProjectView(project) };
});
