import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPutItems } from '../../../lib/db/batch-write.ts';
import { commitWrites } from '../../../lib/db/commit.ts';
import { NO_DELIVERY_OUTCOME, targetIndexKeys } from '../../../lib/db/deliveries-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { type ProjectItem, projectPut } from '../../../lib/db/projects-store.ts';
import { completedRunWrite, failedRunWrites } from '../../../lib/db/scan-results-store.ts';
import {
  createScanRunWrites,
  getScanRun,
  nextScanRunId,
  type ScanRunItem,
} from '../../../lib/db/scan-runs-store.ts';
import { type TargetItem, targetPut } from '../../../lib/db/targets-store.ts';
import { type ExportItem, exportPuts } from '../../../lib/db/ticket-exports-store.ts';
import { createToken } from '../../../lib/domain/accounts.ts';
import { EXPORT_STATUSES, type ExportStatus } from '../../../lib/domain/delivery-vocabulary.ts';
import { newId } from '../../../lib/ids.ts';
import type { ScanRunStatus } from '../../../lib/schemas/scan-runs.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { issue, multiPage } from '../../support/scanner-fixtures.ts';
import { accountWithProject, scannerPostback } from '../../support/scenario.ts';

/**
 * The lists customers page through, end to end on the local stack: 250 projects, 250 scan runs of one
 * project (plus runs indexed the way they were before the project id led the index sort key), 250
 * ticket exports, and a run's issues by category. Every list is paged with limits 1, 7 and 100 and
 * checked exactly: count, order (newest first), no duplicates, next_cursor null exactly on the last
 * page, filters, another account's rows never there, bad parameters and cursors 422 naming them.
 * Fixtures other than scan runs are written with the stores directly: the API that creates them is
 * not what is tested here.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let a: Awaited<ReturnType<typeof accountWithProject>>;
let b: Awaited<ReturnType<typeof accountWithProject>>;

const N = 250;
const LIMITS = [1, 7, 100];
const at = (ms: number) => new Date(Date.UTC(2025, 5, 1) + ms).toISOString();
/** Newest first, ties by id descending: the lists' order. */
const newestFirst =
  <T extends { created_at: string }>(id: (x: T) => string) =>
  (x: T, y: T) =>
    x.created_at !== y.created_at ? (x.created_at < y.created_at ? 1 : -1) : id(x) < id(y) ? 1 : -1;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
  // Enterprise (3,000 requests a minute) with a credit for each run this file creates.
  a = await accountWithProject(stack.db, api, { credits: N + 50 });
  b = await accountWithProject(stack.db, api, { credits: 10 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/**
 * Every page of a list: full pages while next_cursor is set, a last one (not empty unless the list
 * is) without; the items of all pages in order, each exactly once.
 */
async function pageThrough(path: string, token: string, limit: number): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  for (let n = 0; ; n++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api(
      'GET',
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    expect(res.status, `${path} page ${n}: ${JSON.stringify(res.body)}`).toBe(200);
    const { items, next_cursor } = res.body as { items: any[]; next_cursor: string | null };
    if (next_cursor !== null) expect(items, `${path} page ${n}`).toHaveLength(limit);
    else {
      expect(items.length).toBeLessThanOrEqual(limit);
      if (n > 0) expect(items.length, `${path}: an empty last page after a full one`).toBeGreaterThan(0);
    }
    all.push(...items);
    if (next_cursor === null) return all;
    cursor = next_cursor;
  }
}

/** Pages with every limit and checks the list is exactly `expected` (ids, in order). */
async function expectList(
  path: string,
  token: string,
  expected: (string | number)[],
  idOf: (x: any) => string | number,
  limits = LIMITS,
) {
  for (const limit of limits) {
    const items = await pageThrough(path, token, limit);
    const ids = items.map(idOf);
    expect(new Set(ids).size, `${path} limit ${limit}: duplicates`).toBe(ids.length);
    expect(ids, `${path} limit ${limit}`).toEqual(expected);
  }
}

async function expect422(path: string, token: string, field: string) {
  const res = await api('GET', path, { token });
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(
    res.body.error.details.map((d: { field: string }) => d.field),
    path,
  ).toEqual([field]);
}

const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('GET /api/projects', () => {
  let mine: ProjectItem[];
  beforeAll(async () => {
    // The account has one project (made through the API); 249 more, with some in the same millisecond.
    mine = Array.from({ length: N - 1 }, (_, i) => ({
      id: newId('project'),
      account_id: a.accountId,
      name: `Project ${i}`,
      base_url: `https://p${i}.example.test`,
      created_at: at(Math.floor(i / 3) * 1000),
    }));
    const others = Array.from({ length: 5 }, (_, i) => ({
      id: newId('project'),
      account_id: b.accountId,
      name: `Other ${i}`,
      base_url: 'https://other.example.test',
      created_at: at(i * 1000 + 500),
    }));
    await batchPutItems(
      stack.db,
      [...mine, ...others].map((p) => projectPut(stack.db, p).Put?.Item as Record<string, unknown>),
    );
    const first = await api('GET', `/api/projects/${a.projectId}`, { token: a.token });
    mine.push({ ...first.body, account_id: a.accountId });
    mine.sort(newestFirst((p: ProjectItem) => p.id));
  });

  it('pages the account’s 250 projects newest first, exactly, with no other account’s', async () => {
    expect(mine).toHaveLength(N);
    await expectList(
      '/api/projects',
      a.token,
      mine.map((p) => p.id),
      (p) => p.id,
    );
    const one = await api('GET', '/api/projects?limit=1', { token: a.token });
    expect(one.body.items[0]).toEqual({
      id: mine[0]?.id,
      name: mine[0]?.name,
      base_url: mine[0]?.base_url,
      created_at: mine[0]?.created_at,
    });
    const theirs = await pageThrough('/api/projects', b.token, 100);
    expect(theirs).toHaveLength(6);
    expect(theirs.filter((p) => mine.some((m) => m.id === p.id))).toEqual([]);
  });

  it('refuses bad limits and cursors with 422 naming them; needs projects:read', async () => {
    for (const limit of ['0', '101', 'x', '1.5', '-1'])
      await expect422(`/api/projects?limit=${limit}`, a.token, 'limit');
    const theirs = await api('GET', '/api/projects?limit=1', { token: b.token });
    for (const cursor of [
      'garbage!',
      theirs.body.next_cursor,
      forged({ pk: 'PROJECT#x', sk: 'PROJECT', gsi1pk: `ACCOUNT#${a.accountId}#PROJECTS`, gsi1sk: 'x' }),
      forged({
        pk: `PROJECT#${mine[3]?.id}`,
        sk: 'PROJECT',
        gsi1pk: `ACCOUNT#${a.accountId}#PROJECTS`,
        gsi1sk: `${'1'.repeat(1200)}#${mine[3]?.id}`,
      }),
      'x'.repeat(2049),
    ])
      await expect422(`/api/projects?cursor=${encodeURIComponent(cursor)}`, a.token, 'cursor');
    const scoped = (await createToken(stack.db, { accountId: a.accountId, scopes: ['projects:read'] }))
      .api_token;
    expect((await api('GET', '/api/projects?limit=2', { token: scoped })).status).toBe(200);
    const none = (await createToken(stack.db, { accountId: a.accountId, scopes: ['targets:read'] }))
      .api_token;
    expect((await api('GET', '/api/projects', { token: none })).status).toBe(403);
    expect((await api('GET', '/api/projects')).status).toBe(401);
  });
});

describe('GET /api/projects/{projectId}/scan-runs', () => {
  /** The runs of the account's first project, as they stand. */
  let runs: ScanRunItem[];
  let otherProject: string;
  let issuesRun: number;
  const postback = () => scannerPostback(api);

  beforeAll(async () => {
    // 250 runs through the API, ten at a time; then completed and failed ones among them.
    const ids: number[] = [];
    for (let i = 0; i < N; i += 10)
      ids.push(...(await Promise.all(Array.from({ length: Math.min(10, N - i) }, () => a.newScanRun()))));
    const now = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 10) {
      await Promise.all(
        ids.slice(i, i + 10).map(async (id, k) => {
          const run = (await getScanRun(stack.db, id, true)) as ScanRunItem;
          if ((i + k) % 3 === 1)
            await commitWrites(stack.db, [
              completedRunWrite(stack.db, id, { ingestId: 'none', shards: 1 }, COUNTERS, now),
            ]);
          if ((i + k) % 3 === 2)
            await commitWrites(
              stack.db,
              failedRunWrites(stack.db, run, { code: 'SCAN_FAILED', message: 'x' }, now),
            );
        }),
      );
    }
    // Ten runs of the project, and three of another project, indexed as before the project id led
    // the index sort key (created by the previous release): older than every run above.
    otherProject = newId('project');
    await commitWrites(stack.db, [
      projectPut(stack.db, {
        id: otherProject,
        account_id: a.accountId,
        name: 'Other project',
        base_url: 'https://other.example.test',
        created_at: at(-1),
      }),
    ]);
    const legacy: number[] = [];
    for (let i = 0; i < 13; i++) {
      const id = await nextScanRunId(stack.db);
      if (i < 10) legacy.push(id);
      const run = scanRun(
        id,
        i < 10 ? a.projectId : otherProject,
        at(i * 60_000),
        i % 2 ? 'completed' : 'queued',
      );
      await stack.db.doc.send(
        new PutCommand({
          TableName: stack.db.table,
          Item: {
            ...keys.scanRun(id),
            ...run,
            gsi1pk: keys.accountIndex(a.accountId, 'SCANRUNS'),
            gsi1sk: `${run.created_at}#${String(id).padStart(16, '0')}`,
          },
        }),
      );
    }
    // Runs of the other project (one with issues of every category) and of another account.
    for (let i = 0; i < 5; i++) {
      const id = await nextScanRunId(stack.db);
      await commitWrites(
        stack.db,
        createScanRunWrites(stack.db, scanRun(id, otherProject, new Date().toISOString(), 'queued')),
      );
    }
    issuesRun = (
      await api('POST', `/api/projects/${otherProject}/scan-runs`, {
        token: a.token,
        idempotencyKey: 'issues-run',
      })
    ).body.scan_run_id;
    const body = multiPage(issuesRun, 3, 20);
    let n = 0;
    for (const page of body.pages)
      page.issues = page.issues.map(() => {
        const i = n++;
        return issue(i, { category: CATEGORIES[i % 4], severity: SEVERITIES[Math.floor(i / 4) % 5] });
      });
    expect((await postback()(body, `issues-${issuesRun}`)).status).toBe(202);
    for (let i = 0; i < 3; i++) await b.newScanRun();
    runs = (await Promise.all(
      [...ids, ...legacy].map((id) => getScanRun(stack.db, id, true)),
    )) as ScanRunItem[];
    runs.sort(newestFirst((r: ScanRunItem) => String(r.id).padStart(16, '0')));
  }, 120_000);

  it('pages the project’s 260 runs newest first (the earlier-indexed ones last), exactly', async () => {
    expect(runs).toHaveLength(N + 10);
    expect(runs.slice(-10).every((r) => r.created_at < at(24 * 3600_000))).toBe(true);
    const path = `/api/projects/${a.projectId}/scan-runs`;
    await expectList(
      path,
      a.token,
      runs.map((r) => r.id),
      (r) => r.scan_run_id,
    );
    const first = await api('GET', `${path}?limit=1`, { token: a.token });
    expect(first.body.items[0]).toMatchObject({
      scan_run_id: runs[0]?.id,
      project_id: a.projectId,
      status: runs[0]?.status,
    });
  });

  it('filters by status exactly', async () => {
    for (const status of ['queued', 'completed', 'failed'] as const) {
      const want = runs.filter((r) => r.status === status).map((r) => r.id);
      expect(want.length).toBeGreaterThan(80);
      await expectList(
        `/api/projects/${a.projectId}/scan-runs?status=${status}`,
        a.token,
        want,
        (r) => r.scan_run_id,
        [7, 100],
      );
    }
  });

  it('lists another project’s runs apart; another account’s project is 404', async () => {
    const other = await pageThrough(`/api/projects/${otherProject}/scan-runs`, a.token, 100);
    expect(other).toHaveLength(3 + 5 + 1);
    expect(other.every((r) => r.project_id === otherProject)).toBe(true);
    expect(other[0].scan_run_id).toBe(issuesRun);
    const theirs = await pageThrough(`/api/projects/${b.projectId}/scan-runs`, b.token, 100);
    expect(theirs).toHaveLength(3);
    for (const path of [
      `/api/projects/${b.projectId}/scan-runs`,
      '/api/projects/prj_ffffffffffffffffffffffff/scan-runs',
      '/api/projects/nope/scan-runs',
    ]) {
      const res = await api('GET', path, { token: a.token });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const scoped = (await createToken(stack.db, { accountId: a.accountId, scopes: ['projects:read'] }))
      .api_token;
    expect((await api('GET', `/api/projects/${a.projectId}/scan-runs`, { token: scoped })).status).toBe(403);
  });

  it('refuses bad filters, limits and cursors with 422 naming them', async () => {
    const path = `/api/projects/${a.projectId}/scan-runs`;
    for (const status of ['running', 'QUEUED', ''])
      await expect422(`${path}?status=${status}`, a.token, 'status');
    await expect422(`${path}?limit=101`, a.token, 'limit');
    const otherCursor = (
      await api('GET', `/api/projects/${otherProject}/scan-runs?limit=1`, { token: a.token })
    ).body.next_cursor;
    const projectsCursor = (await api('GET', '/api/projects?limit=1', { token: a.token })).body.next_cursor;
    const own = JSON.parse(
      Buffer.from(
        (await api('GET', `${path}?limit=1`, { token: a.token })).body.next_cursor,
        'base64url',
      ).toString(),
    );
    for (const cursor of [
      'garbage!',
      otherCursor,
      projectsCursor,
      forged({ ...own, gsi1pk: keys.accountIndex(b.accountId, 'SCANRUNS') }),
      forged({ ...own, pk: 'SCANRUN#999999' }),
      forged({ ...own, gsi1sk: `${own.gsi1sk}#x` }),
    ])
      await expect422(`${path}?cursor=${encodeURIComponent(cursor)}`, a.token, 'cursor');
  });

  it('filters a run’s issues by category, alone and with a severity; a bad category is 422', async () => {
    const all = await pageThrough(`/api/scan-runs/${issuesRun}/issues`, a.token, 100);
    expect(all).toHaveLength(60);
    for (const category of [...CATEGORIES, 'content']) {
      const want = all.filter((i) => i.category === category).map((i) => i.fingerprint);
      if (category !== 'content') expect(want.length).toBeGreaterThan(5);
      await expectList(
        `/api/scan-runs/${issuesRun}/issues?category=${category}`,
        a.token,
        want,
        (i) => i.fingerprint,
      );
      const high = all
        .filter((i) => i.category === category && i.severity === 'high')
        .map((i) => i.fingerprint);
      await expectList(
        `/api/scan-runs/${issuesRun}/issues?category=${category}&severity=high`,
        a.token,
        high,
        (i) => i.fingerprint,
        [1, 100],
      );
    }
    await expect422(`/api/scan-runs/${issuesRun}/issues?category=xss`, a.token, 'category');
    expect(
      (await api('GET', `/api/scan-runs/${issuesRun}/issues?category=security`, { token: b.token })).status,
    ).toBe(404);
  });
});

describe('GET /api/ticket-exports', () => {
  let mine: ExportItem[];
  let targets: string[];
  let theirTarget: string;
  let runIds: number[];

  beforeAll(async () => {
    targets = [newId('target'), newId('target')];
    theirTarget = newId('target');
    await batchPutItems(
      stack.db,
      [...targets.map((id) => target(id, a.accountId)), target(theirTarget, b.accountId)].map(
        (t) => targetPut(stack.db, t).Put?.Item as Record<string, unknown>,
      ),
    );
    runIds = [101, 102, 103];
    mine = Array.from({ length: N }, (_, i) => {
      const status = EXPORT_STATUSES[i % EXPORT_STATUSES.length] as ExportStatus;
      return exportItem(a.accountId, a.projectId, {
        status,
        targetId: status === 'pending_approval' ? null : (targets[Math.floor(i / 7) % 2] as string),
        scanRunId: runIds[i % 3] as number,
        createdAt: at(Math.floor(i / 2) * 1000),
      });
    });
    // Another account's exports: the same runs' numbers, to its own target.
    const theirs = Array.from({ length: 20 }, (_, i) =>
      exportItem(b.accountId, b.projectId, {
        status: 'queued',
        targetId: theirTarget,
        scanRunId: runIds[i % 3] as number,
        createdAt: at(i * 1000 + 1),
      }),
    );
    await batchPutItems(
      stack.db,
      [...mine, ...theirs].flatMap((e) => exportItems(e)),
    );
    mine.sort(newestFirst((e: ExportItem) => e.id));
  }, 120_000);

  it('pages the account’s 250 exports newest first, exactly, each without its preview', async () => {
    await expectList(
      '/api/ticket-exports',
      a.token,
      mine.map((e) => e.id),
      (e) => e.id,
    );
    const first = (await api('GET', '/api/ticket-exports?limit=1', { token: a.token })).body.items[0];
    expect(first).toMatchObject({
      id: mine[0]?.id,
      status: mine[0]?.status,
      scan_run_id: mine[0]?.scan_run_id,
      project_id: a.projectId,
      target_id: mine[0]?.target_id,
      url: `/api/ticket-exports/${mine[0]?.id}`,
    });
    expect(first).not.toHaveProperty('preview');
    expect(first).not.toHaveProperty('issue_fingerprints');
    const theirs = await pageThrough('/api/ticket-exports', b.token, 100);
    expect(theirs).toHaveLength(20);
  });

  it('filters by status, target and scan run, alone and together, exactly', async () => {
    const cases: { query: string; keep: (e: ExportItem) => boolean }[] = [
      ...(['pending_approval', 'exported', 'retry_scheduled'] as const).map((s) => ({
        query: `status=${s}`,
        keep: (e: ExportItem) => e.status === s,
      })),
      { query: `target_id=${targets[0]}`, keep: (e) => e.target_id === targets[0] },
      { query: `scan_run_id=${runIds[1]}`, keep: (e) => e.scan_run_id === runIds[1] },
      {
        query: `target_id=${targets[1]}&status=failed`,
        keep: (e) => e.target_id === targets[1] && e.status === 'failed',
      },
      {
        query: `target_id=${targets[0]}&scan_run_id=${runIds[2]}`,
        keep: (e) => e.target_id === targets[0] && e.scan_run_id === runIds[2],
      },
      {
        query: `status=queued&scan_run_id=${runIds[0]}`,
        keep: (e) => e.status === 'queued' && e.scan_run_id === runIds[0],
      },
      {
        query: `status=exported&target_id=${targets[1]}&scan_run_id=${runIds[0]}`,
        keep: (e) => e.status === 'exported' && e.target_id === targets[1] && e.scan_run_id === runIds[0],
      },
    ];
    for (const c of cases) {
      const want = mine.filter(c.keep).map((e) => e.id);
      expect(want.length, c.query).toBeGreaterThan(2);
      await expectList(`/api/ticket-exports?${c.query}`, a.token, want, (e) => e.id, [7, 100]);
    }
    await expectList(
      `/api/ticket-exports?target_id=${targets[0]}`,
      a.token,
      mine.filter((e) => e.target_id === targets[0]).map((e) => e.id),
      (e) => e.id,
      [1],
    );
    // Another account's target, a target that does not exist, a run of no export: nothing.
    for (const query of [`target_id=${theirTarget}`, `target_id=${newId('target')}`, 'scan_run_id=999999'])
      expect((await api('GET', `/api/ticket-exports?${query}`, { token: a.token })).body).toEqual({
        items: [],
        next_cursor: null,
      });
  });

  it('refuses bad filters, limits and cursors with 422 naming them; needs exports:read', async () => {
    for (const [query, field] of [
      ['status=delivered', 'status'],
      ['status=', 'status'],
      ['target_id=nope', 'target_id'],
      ['target_id=exp_0123456789abcdef01234567', 'target_id'],
      ['scan_run_id=0', 'scan_run_id'],
      ['scan_run_id=abc', 'scan_run_id'],
      ['scan_run_id=1.5', 'scan_run_id'],
      ['limit=0', 'limit'],
    ])
      await expect422(`/api/ticket-exports?${query}`, a.token, field as string);
    const byTarget = (
      await api('GET', `/api/ticket-exports?limit=1&target_id=${targets[0]}`, { token: a.token })
    ).body.next_cursor;
    const byAccount = (await api('GET', '/api/ticket-exports?limit=1', { token: a.token })).body.next_cursor;
    const theirs = (await api('GET', '/api/ticket-exports?limit=1', { token: b.token })).body.next_cursor;
    const theirTargetCursor = (
      await api('GET', `/api/ticket-exports?limit=1&target_id=${theirTarget}`, { token: b.token })
    ).body.next_cursor;
    for (const [query, cursor] of [
      ['', 'garbage!'],
      ['', theirs],
      ['', byTarget],
      [`target_id=${targets[0]}&`, byAccount],
      [`target_id=${targets[1]}&`, byTarget],
      [`target_id=${theirTarget}&`, theirTargetCursor],
      ['', forged({ pk: 'EXPORT#x', sk: 'EXPORT', gsi1pk: `ACCOUNT#${a.accountId}#EXPORTS`, gsi1sk: 'x' })],
    ])
      await expect422(
        `/api/ticket-exports?${query}cursor=${encodeURIComponent(cursor as string)}`,
        a.token,
        'cursor',
      );
    const scoped = (await createToken(stack.db, { accountId: a.accountId, scopes: ['targets:read'] }))
      .api_token;
    expect((await api('GET', '/api/ticket-exports', { token: scoped })).status).toBe(403);
  });
});

const CATEGORIES = ['security', 'privacy', 'accessibility', 'seo'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const COUNTERS = {
  pages_scanned: 0,
  issues_count: 0,
  critical_count: 0,
  high_count: 0,
  medium_count: 0,
  low_count: 0,
  info_count: 0,
  risk_score: 0,
  source: 'scanner',
};

function scanRun(id: number, projectId: string, createdAt: string, status: ScanRunStatus): ScanRunItem {
  return {
    id,
    account_id: a.accountId,
    project_id: projectId,
    status,
    credit_reserved: status === 'queued',
    counters: status === 'completed' ? COUNTERS : null,
    error: null,
    report_status: status === 'completed' ? 'ready' : 'not_started',
    temp_prefix: `tmp/scan-runs/${id}/`,
    created_at: createdAt,
    updated_at: createdAt,
    completed_at: status === 'completed' ? createdAt : null,
  };
}

function target(id: string, accountId: string): TargetItem {
  const now = new Date().toISOString();
  return {
    id,
    account_id: accountId,
    status: 'active',
    provider_key: 'generic_webhook',
    base_url: 'https://hooks.example.test/x',
    deployment_mode: 'cloud',
    name: 'Receiver',
    events: ['ticket_export'],
    secret_sealed: 'v1.sealed',
    secret_version: 1,
    created_at: now,
    updated_at: now,
  };
}

function exportItem(
  accountId: string,
  projectId: string,
  input: { status: ExportStatus; targetId: string | null; scanRunId: number; createdAt: string },
): ExportItem {
  const id = newId('export');
  const pending = input.status === 'pending_approval';
  return {
    id,
    account_id: accountId,
    project_id: projectId,
    scan_run_id: input.scanRunId,
    issue_fingerprints: ['fp-000001'],
    title: `Export ${id}`,
    body: JSON.stringify({ type: 'ticket_export', export_id: id }),
    preview_safe: true,
    preview_findings: [],
    status: input.status,
    target_id: input.targetId,
    delivery_id: newId('delivery'),
    round: pending ? 0 : 1,
    attempts: pending ? 0 : 1,
    log_seq: 0,
    ...NO_DELIVERY_OUTCOME,
    created_at: input.createdAt,
    updated_at: input.createdAt,
    approved_at: pending ? null : input.createdAt,
  };
}

/** The export's items as approval leaves them: state (with its target's index keys once it has one) and payload. */
function exportItems(e: ExportItem): Record<string, unknown>[] {
  const [state, payload] = exportPuts(stack.db, e).map((w) => w.Put?.Item as Record<string, unknown>);
  return [
    { ...state, ...(e.target_id ? targetIndexKeys(e.target_id, e.created_at, e.id) : {}) },
    payload as Record<string, unknown>,
  ];
}
