import { randomId } from '../auth/tokens.ts';
import type { Db } from '../db/client.ts';
import { getProject, type ProjectItem, putProject } from '../db/projects-store.ts';
import { NotFoundError } from '../errors.ts';
import type { CreateProjectInput, ProjectView } from '../schemas/projects.ts';

export function toProjectView(p: ProjectItem): ProjectView {
  return { id: p.id, name: p.name, base_url: p.base_url, created_at: p.created_at };
}

export async function createProject(
  db: Db,
  accountId: string,
  input: CreateProjectInput,
): Promise<ProjectItem> {
  const project: ProjectItem = {
    id: randomId('prj'),
    account_id: accountId,
    name: input.name,
    base_url: input.base_url,
    created_at: new Date().toISOString(),
  };
  await putProject(db, project);
  return project;
}

/** Another account's project is indistinguishable from a missing one (404, no existence leak). */
export async function getOwnedProject(db: Db, accountId: string, projectId: string): Promise<ProjectItem> {
  const project = /^prj_[0-9a-f]{24}$/.test(projectId) ? await getProject(db, projectId) : undefined;
  if (!project || project.account_id !== accountId) throw new NotFoundError('Project not found.');
  return project;
}
