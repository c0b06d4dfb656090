import type { Db } from '../db/client.ts';
import { unexpectedConditionFailure, type WritePlan } from '../db/commit.ts';
import { getProject, listProjects, type ProjectItem, projectPut } from '../db/projects-store.ts';
import { NotFoundError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { CreateProjectInput } from '../schemas/projects.ts';
import type { ProjectView } from '../schemas/responses.ts';
import { toPage } from './pages.ts';

export function toProjectView(p: ProjectItem): ProjectView {
  return { id: p.id, name: p.name, base_url: p.base_url, created_at: p.created_at };
}

export function planCreateProject(
  db: Db,
  accountId: string,
  input: CreateProjectInput,
): WritePlan<ProjectItem> {
  const project: ProjectItem = {
    id: newId('project'),
    account_id: accountId,
    name: input.name,
    base_url: input.base_url,
    created_at: new Date().toISOString(),
  };
  return {
    writes: [projectPut(db, project)],
    result: project,
    onConditionFailed: unexpectedConditionFailure('project creation'),
  };
}

/** Another account's project is indistinguishable from a missing one (404, no existence leak). */
export async function getOwnedProject(db: Db, accountId: string, projectId: string): Promise<ProjectItem> {
  const project = isId('project', projectId) ? await getProject(db, projectId) : undefined;
  if (!project || project.account_id !== accountId) throw new NotFoundError('Project not found.');
  return project;
}

/** The account's projects, newest first (docs/platform.md, "Lists"). */
export async function listOwnedProjects(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: ProjectView[]; next_cursor: string | null }> {
  return toPage(await listProjects(db, accountId, page), toProjectView);
}
