import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

export interface ProjectItem {
  id: string;
  account_id: string;
  name: string;
  base_url: string;
  created_at: string;
}

export async function putProject(db: Db, project: ProjectItem): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...keys.project(project.id),
        ...project,
        gsi1pk: keys.accountIndex(project.account_id, 'PROJECTS'),
        gsi1sk: `${project.created_at}#${project.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getProject(db: Db, projectId: string): Promise<ProjectItem | undefined> {
  const res = await db.doc.send(new GetCommand({ TableName: db.table, Key: keys.project(projectId) }));
  return res.Item as ProjectItem | undefined;
}
