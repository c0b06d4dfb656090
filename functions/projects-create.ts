import { createProject, toProjectView } from '../lib/domain/projects.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';
import { CreateProjectSchema } from '../lib/schemas/projects.ts';

export const handler = httpRoute(
  'projects.create',
  { body: CreateProjectSchema },
  async ({ body, principal }) => {
    const project = await createProject(runtime().db, accountOf(principal).accountId, body);
    return { status: 201, body: toProjectView(project) };
  },
);
