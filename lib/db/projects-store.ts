import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { stripKeys, type TransactItem, withRetries } from './dynamo.ts';
import { createdAtListKey, listIndexNewestFirst, WHOLE_PARTITION } from './index-list.ts';
import type { ListOutcome } from './key-cursor.ts';
import { keys } from './keys.ts';

export interface ProjectItem {
  id: string;
  account_id: string;
  name: string;
  base_url: string;
  created_at: string;
}

/** The write that creates a project (never over an existing one). */
export function projectPut(db: Db, project: ProjectItem): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: {
        ...keys.project(project.id),
        ...project,
        gsi1pk: keys.accountIndex(project.account_id, 'PROJECTS'),
        gsi1sk: `${project.created_at}#${project.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getProject(db: Db, projectId: string): Promise<ProjectItem | undefined> {
  const res = await withRetries(() =>
    db.doc.send(new GetCommand({ TableName: db.table, Key: keys.project(projectId) })),
  );
  return stripKeys<ProjectItem>(res.Item);
}

const isProjectListKey = createdAtListKey('project', keys.project);

/** An account's projects, newest first, one page at a time (lib/db/index-list.ts). */
export function listProjects(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<ProjectItem>> {
  return listIndexNewestFirst<ProjectItem>(db, {
    partition: keys.accountIndex(accountId, 'PROJECTS'),
    ranges: [WHOLE_PARTITION],
    isListKey: isProjectListKey,
    limit: page.limit,
    cursor: page.cursor,
  });
}
