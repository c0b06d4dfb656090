import { getOwnedProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';

export const handler = httpRoute('projects.get', {}, async ({ params, principal }) => {
  const project = await getOwnedProject(runtime().db, accountOf(principal).accountId, params.projectId ?? '');
  return { status: 200, body: toProjectView(project) };
});
