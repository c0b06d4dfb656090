import { planCreateProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { projectsCreate } from '../lib/http/routes/projects.ts';

export const handler = httpRoute(projectsCreate, ({ body, principal, deps, commit }) =>
  commit(planCreateProject(deps.db, accountOf(principal).accountId, body), (project) => ({
    status: 201,
    body: toProjectView(project),
  })),
);
