import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { listProjects, type ProjectItem, projectPut } from '../../../lib/db/projects-store.ts';
import { allPages, fakeIndexTable } from '../../support/fake-index-table.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };

beforeEach(() => ddb.reset());

const project = (n: number, accountId = 'acc_1'): ProjectItem => ({
  id: `prj_${String(n).padStart(24, '0')}`,
  account_id: accountId,
  name: `P${n}`,
  base_url: 'https://example.test',
  // Two projects in the same millisecond: the id orders them.
  created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(n / 2)).toISOString(),
});
const stored = (p: ProjectItem) => projectPut(db, p).Put!.Item as Record<string, unknown>;

describe('projects store: the account list', () => {
  it('pages the account’s projects newest first (ties by id), each once, with null on the last page', async () => {
    const mine = Array.from({ length: 23 }, (_, n) => project(n));
    fakeIndexTable(ddb, [...mine, project(100, 'acc_2')].map(stored));
    for (const limit of [1, 7, 23, 100]) {
      const pages = await allPages((cursor) => listProjects(db, 'acc_1', { limit, cursor }));
      expect(pages.flat()).toEqual([...mine].reverse());
      expect(pages).toHaveLength(Math.ceil(23 / limit));
    }
  });

  it('refuses a cursor whose keys are not a project’s list keys, without a read', async () => {
    fakeIndexTable(ddb, Array.from({ length: 3 }, (_, n) => project(n)).map(stored));
    const first = await listProjects(db, 'acc_1', { limit: 1 });
    if (first.kind !== 'page' || !first.nextCursor) throw new Error('expected a cursor');
    const own = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString());
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const before = ddb.commandCalls(QueryCommand).length;
    for (const key of [
      { ...own, pk: 'PROJECT#prj_ffffffffffffffffffffffff' },
      { ...own, sk: 'ACCOUNT' },
      { ...own, gsi1sk: `${'2'.repeat(1500)}#${own.pk.slice(8)}` },
      { ...own, gsi1sk: own.pk.slice(8) },
      { ...own, gsi1pk: 'ACCOUNT#acc_2#PROJECTS' },
    ]) {
      expect(await listProjects(db, 'acc_1', { limit: 1, cursor: forged(key) }), JSON.stringify(key)).toEqual(
        {
          kind: 'invalid_cursor',
        },
      );
    }
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(before);
  });
});
