import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, parseConfig } from '../../../lib/config.ts';
import { open, secretKeyFromString } from '../../../lib/crypto/secret-box.ts';
import { getAccount } from '../../../lib/db/accounts-store.ts';
import type { Db } from '../../../lib/db/client.ts';
import { keys } from '../../../lib/db/keys.ts';
import { getTarget } from '../../../lib/db/targets-store.ts';
import { getExport } from '../../../lib/db/ticket-exports-store.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import type { HttpEvent, HttpResponse } from '../../../lib/http/context.ts';
import { findRoute, type RouteName } from '../../../lib/http/routes.ts';
import type { Runtime } from '../../../lib/runtime.ts';
import { type CrashPoint, crashingRuntime } from '../../support/crash-points.ts';
import { createTestTable, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';
import { multiPage } from '../../support/scanner-fixtures.ts';

/**
 * Crash points at every write of every idempotent route (docs/platform.md, "Idempotency"): the request
 * dies before or right after its n-th DynamoDB write (nothing else of that process runs, so its claim is
 * neither released nor completed), its lock expires, and a new process retries with the same key. The
 * retry must answer the route's success status, a replay of it must be byte-identical, and every effect
 * must exist exactly once.
 */
const TARGET_KEY = randomBytes(32).toString('base64');
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
let db: Db;
let config: Config;

beforeAll(async () => {
  db = await createTestTable();
  config = parseConfig({
    ...process.env,
    WRO_TABLE_NAME: db.table,
    WRO_IDEMPOTENCY_LOCK_SECONDS: '1',
    WRO_SCANNER_SHARED_SECRET: TEST_SCANNER_SECRET,
    WRO_TARGET_SECRETS_KEY: TARGET_KEY,
    WRO_ALLOW_PRIVATE_TARGETS: '0',
  });
});

// Target URLs resolve to a public address, so creation and rotation pass the URL check offline.
const hooks: Partial<Runtime> = { resolve: async () => [{ address: '93.184.215.14', family: 4 }] };
const context = { awsRequestId: 'crash-test', getRemainingTimeInMillis: () => 29_000 } as unknown as Context;

interface Call {
  params?: Record<string, string>;
  body?: unknown;
  token?: string;
  key?: string;
}

async function call(
  rt: Runtime,
  name: RouteName,
  c: Call,
): Promise<{ status: number; body: any; raw: HttpResponse }> {
  const route = findRoute(name);
  let path = route.path;
  for (const [k, v] of Object.entries(c.params ?? {})) path = path.replace(`{${k}}`, v);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (route.auth === 'scanner') headers['x-scanner-secret'] = TEST_SCANNER_SECRET;
  if (c.key) headers['idempotency-key'] = c.key;
  const event = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    pathParameters: c.params,
    requestContext: { requestId: randomUUID(), http: { method: route.method, path } },
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
  const mod = (await import(pathToFileURL(resolve(REPO_ROOT, route.entry)).href)) as {
    handler: { with(rt: Runtime): (e: HttpEvent, ctx: Context) => Promise<HttpResponse> };
  };
  const raw = await mod.handler.with(rt)(event, context);
  return { status: raw.statusCode ?? 0, body: raw.body ? JSON.parse(raw.body) : undefined, raw };
}

const clean = () => crashingRuntime(config, undefined, hooks);
const ok = async (rt: Runtime, name: RouteName, c: Call, status: number) => {
  const res = await call(rt, name, { key: randomUUID(), ...c });
  if (res.status !== status) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

async function countIndex(accountId: string, kind: string): Promise<number> {
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.accountIndex(accountId, kind) },
      ConsistentRead: false,
    }),
  );
  return res.Count ?? 0;
}

const openSecret = (sealed: string, targetId: string) =>
  open(secretKeyFromString(TARGET_KEY), sealed, targetId);

interface World {
  accountId: string;
  token: string;
  projectId?: string;
  scanRunId?: number;
  targetId?: string;
  exportId?: string;
}

/** One route under test: what it needs first, the request, its success status, and its effects. */
interface Scenario {
  route: RouteName;
  status: number;
  needs: ('project' | 'run' | 'completedRun' | 'target' | 'export' | 'approved' | 'failed')[];
  request(w: World): Call;
  /** Throws unless every effect happened exactly once and the answer names it. */
  verify(w: World, body: any): Promise<void>;
}

const CREDITS = 10;

async function prepare(needs: Scenario['needs']): Promise<World> {
  const rt = clean().rt;
  const account = await createAccount(db, { name: 'Crash', plan: 'enterprise', credits: CREDITS });
  const w: World = {
    accountId: account.id,
    token: (await createToken(db, { accountId: account.id })).api_token,
  };
  const t = w.token;
  if (needs.length === 0) return w;
  w.projectId = (
    await ok(rt, 'projects.create', { token: t, body: { name: 'P', base_url: 'https://example.test' } }, 201)
  ).id;
  if (needs.includes('project')) return w;
  w.scanRunId = (
    await ok(rt, 'scan-runs.create', { token: t, params: { projectId: w.projectId as string } }, 201)
  ).scan_run_id;
  if (needs.includes('run')) return w;
  if (needs.includes('target') || needs.includes('export')) {
    await ok(rt, 'scanner.results.store', { body: multiPage(w.scanRunId as number, 2, 2) }, 202);
  }
  const target = await ok(
    rt,
    'targets.create',
    {
      token: t,
      body: {
        provider_key: 'generic_webhook',
        base_url: 'https://hooks.example.test/x',
        deployment_mode: 'cloud',
        name: 'T',
      },
    },
    201,
  );
  w.targetId = target.id;
  if (!needs.includes('export')) return w;
  w.exportId = (
    await ok(
      rt,
      'exports.create',
      { token: t, body: { scan_run_id: w.scanRunId, issue_fingerprints: ['fp-000000'] } },
      201,
    )
  ).id;
  if (!needs.includes('approved') && !needs.includes('failed')) return w;
  await ok(
    rt,
    'exports.approve',
    { token: t, params: { exportId: w.exportId as string }, body: { target_id: w.targetId } },
    202,
  );
  if (needs.includes('failed')) {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(w.exportId as string),
        UpdateExpression: 'SET #s = :f, failure_reason = :r',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'failed', ':r': 'receiver_rejected' },
      }),
    );
  }
  return w;
}

const SCENARIOS: Scenario[] = [
  {
    route: 'projects.create',
    status: 201,
    needs: [],
    request: (w) => ({ token: w.token, body: { name: 'Site', base_url: 'https://site.test' } }),
    verify: async (w, body) => {
      expect(await countIndex(w.accountId, 'PROJECTS')).toBe(1);
      expect(body.id).toMatch(/^prj_/);
    },
  },
  {
    route: 'scan-runs.create',
    status: 201,
    needs: ['project'],
    request: (w) => ({ token: w.token, params: { projectId: w.projectId as string } }),
    verify: async (w, body) => {
      expect(await countIndex(w.accountId, 'SCANRUNS')).toBe(1);
      expect((await getAccount(db, w.accountId))?.scan_credits).toBe(CREDITS - 1);
      expect(body.status).toBe('queued');
    },
  },
  {
    route: 'scanner.results.store',
    status: 202,
    needs: ['run'],
    request: (w) => ({ body: multiPage(w.scanRunId as number, 3, 2) }),
    verify: async (w, body) => {
      expect(body).toEqual({ scan_run_id: w.scanRunId, status: 'completed', duplicate: false });
      expect((await getAccount(db, w.accountId))?.scan_credits).toBe(CREDITS - 1);
    },
  },
  {
    route: 'targets.create',
    status: 201,
    needs: [],
    request: (w) => ({
      token: w.token,
      body: {
        provider_key: 'generic_webhook',
        base_url: 'https://hooks.example.test/a',
        deployment_mode: 'cloud',
        name: 'A',
      },
    }),
    verify: async (w, body) => {
      expect(await countIndex(w.accountId, 'TARGETS')).toBe(1);
      const stored = await getTarget(db, body.id, true);
      expect(openSecret(stored?.secret_sealed as string, body.id)).toBe(body.signing_secret);
    },
  },
  {
    route: 'targets.rotate-secret',
    status: 200,
    needs: ['target'],
    request: (w) => ({ token: w.token, params: { targetId: w.targetId as string } }),
    verify: async (w, body) => {
      const stored = await getTarget(db, w.targetId as string, true);
      expect(stored?.secret_version).toBe(2);
      expect(openSecret(stored?.secret_sealed as string, w.targetId as string)).toBe(body.signing_secret);
    },
  },
  {
    route: 'exports.create',
    status: 201,
    needs: ['target', 'export'].slice(0, 1) as Scenario['needs'],
    request: (w) => ({
      token: w.token,
      body: { scan_run_id: w.scanRunId, issue_fingerprints: ['fp-000001'] },
    }),
    verify: async (w, body) => {
      expect(await countIndex(w.accountId, 'EXPORTS')).toBe(1);
      expect(body.status).toBe('pending_approval');
    },
  },
  {
    route: 'exports.approve',
    status: 202,
    needs: ['export'],
    request: (w) => ({
      token: w.token,
      params: { exportId: w.exportId as string },
      body: { target_id: w.targetId },
    }),
    verify: async (w, body) => {
      expect(await getExport(db, w.exportId as string, true)).toMatchObject({ status: 'queued', round: 1 });
      expect(body).toMatchObject({ status: 'queued', target_id: w.targetId });
    },
  },
  {
    route: 'exports.retry',
    status: 202,
    needs: ['export', 'failed'],
    request: (w) => ({ token: w.token, params: { exportId: w.exportId as string } }),
    verify: async (w, body) => {
      expect(await getExport(db, w.exportId as string, true)).toMatchObject({ status: 'queued', round: 2 });
      expect(body).toMatchObject({ status: 'queued' });
    },
  },
];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe.each(SCENARIOS)('$route: a crash at any write, then a retry with the same key', (s) => {
  it('answers the first success once and applies everything exactly once', async () => {
    // A clean run tells how many writes the request makes.
    const probeWorld = await prepare(s.needs);
    const probe = clean();
    const first = await call(probe.rt, s.route, { key: randomUUID(), ...s.request(probeWorld) });
    expect(first.status).toBe(s.status);
    const writes = probe.writes();
    expect(writes).toBeGreaterThanOrEqual(2);

    const points: CrashPoint[] = [];
    for (let write = 1; write <= writes; write++)
      points.push({ write, when: 'before' }, { write, when: 'after' });
    // A few crash points at a time: DynamoDB Local is shared with the other test files.
    const results = await inBatches(points, 4, async (point) => {
      const w = await prepare(s.needs);
      // Scanner keys are scoped to the scanner, not to an account: every case needs its own key.
      const key = `crash-${point.when}-${point.write}-${randomUUID()}`;
      const doomed = crashingRuntime(config, point, hooks);
      await call(doomed.rt, s.route, { key, ...s.request(w) }).catch(() => undefined);
      expect(doomed.crashed()).toBe(true);
      await pause(2_100); // the dead request's lock (1 s here) expires
      const retry = await call(clean().rt, s.route, { key, ...s.request(w) });
      const again = await call(clean().rt, s.route, { key, ...s.request(w) });
      return { point, w, retry, again };
    });
    for (const { point, w, retry, again } of results) {
      const where = `${point.when} write ${point.write}`;
      expect(retry.status, where).toBe(s.status);
      expect(again.status, where).toBe(s.status);
      expect(again.raw.headers?.['Idempotent-Replayed'], where).toBe('true');
      expect(again.raw.body, where).toBe(retry.raw.body);
      await s.verify(w, retry.body);
    }
  });
});

describe.each(SCENARIOS)(
  '$route: the commit landed but its answer was lost, and the process lives on',
  (s) => {
    it('keeps the stored answer (the error path must not release a completed claim): the retry replays it', async () => {
      const probeWorld = await prepare(s.needs);
      const probe = clean();
      const first = await call(probe.rt, s.route, { key: randomUUID(), ...s.request(probeWorld) });
      expect(first.status).toBe(s.status);
      const w = await prepare(s.needs);
      // The last write is the commit transaction; its answer is lost, the request answers 5xx.
      const point: CrashPoint = { write: probe.writes(), when: 'after', survive: true };
      // Scanner keys are scoped to the scanner, not to an account: every case needs its own key.
      const key = `lost-${randomUUID()}`;
      const unlucky = await call(crashingRuntime(config, point, hooks).rt, s.route, { key, ...s.request(w) });
      expect(unlucky.status).toBeGreaterThanOrEqual(500);
      const retry = await call(clean().rt, s.route, { key, ...s.request(w) });
      expect(retry.status).toBe(s.status);
      expect(retry.raw.headers?.['Idempotent-Replayed']).toBe('true');
      await s.verify(w, retry.body);
    });
  },
);
