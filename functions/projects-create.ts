import { planCreateProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { PROJECT_ROUTES } from '../lib/http/routes/projects.ts';

export const handler = httpRoute(PROJECT_ROUTES.create, ({ body, principal, deps, commit }) =>
  commit(planCreateProject(deps.db, accountOf(principal).accountId, body), (project) => ({
    status: 201,
    body: toProjectView(project),
  })),
);
