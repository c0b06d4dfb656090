import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { applyPlan } from '../../../lib/db/commit.ts';
import { readProjectFindings } from '../../../lib/db/findings-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { getScanRun, type ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import {
  applyRunToFindings,
  FindingsBusyError,
  FindingsIncompleteError,
} from '../../../lib/domain/findings.ts';
import { planScannerResult } from '../../../lib/domain/scanner-ingest.ts';
import { parseScannerResult } from '../../../lib/domain/scanner-validate.ts';
import { newId } from '../../../lib/ids.ts';
import { createTestTable } from '../../support/local-stack.ts';
import { issue } from '../../support/scanner-fixtures.ts';

/**
 * Applying a run to its project's findings against DynamoDB Local, under crashes: a run that dies
 * after any number of its finding writes, then applied again, leaves exactly what an uninterrupted
 * application leaves (findings and delta); a later run after an abandoned one starts from the
 * committed state and the abandoned one is then superseded; a replay changes nothing; a run whose
 * project is being applied by another waits, then gives up for a retry.
 */
let db: Db;
let nextRun = 1;

beforeAll(async () => {
  db = await createTestTable();
}, 60_000);

class Crashed extends Error {}

/** The table, dying (every call fails) from the `n`-th finding write on. */
function crashingAfter(n: number): Db {
  let writes = 0;
  let dead = false;
  const send = (async (command: { input: { Key?: { sk?: unknown } } }) => {
    if (dead) throw new Crashed('process is dead');
    const sk = String(command.input?.Key?.sk ?? '');
    if (command.constructor.name === 'UpdateCommand' && sk.startsWith('FINDING#') && ++writes >= n) {
      dead = true;
      throw new Crashed(`crashed before finding write ${n}`);
    }
    return db.doc.send(command as never);
  }) as Db['doc']['send'];
  return { table: db.table, doc: { send } as Db['doc'] };
}

const P = (i: number) => `https://x.test/${i}`;
const entry = (url: string, fps: string[], statusCode = 200) => ({
  page: { url, normalizedUrl: url, statusCode, pageType: 'article', responseHeaders: {} },
  artifacts: { screenshotPath: 'a.png' },
  issues: fps.map((fp, i) => issue(i, { fingerprint: fp })),
});

/** A committed completed run of the project with these pages. */
async function committedRun(projectId: string, pages: ReturnType<typeof entry>[]): Promise<ScanRunItem> {
  const id = 10_000 + nextRun++;
  const now = new Date().toISOString();
  const run: ScanRunItem = {
    id,
    account_id: 'acc_test',
    project_id: projectId,
    status: 'queued',
    credit_reserved: true,
    counters: null,
    error: null,
    report_status: 'not_started',
    temp_prefix: `tmp/${id}/`,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...keys.scanRun(id), ...run } }));
  const result = parseScannerResult({ scanRunId: id, status: 'completed', pages });
  await applyPlan(db, await planScannerResult(db, result, run));
  return (await getScanRun(db, id, true)) as ScanRunItem;
}

const fps = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
/** Run 1: pages 0-3 with 5 findings each; run 2: pages 0-1 rescanned (one finding gone from each, one new), page 2 a 503. */
const RUN1 = [0, 1, 2, 3].map((p) => entry(P(p), fps(`page${p}`, 5)));
const RUN2 = [
  entry(P(0), [...fps('page0', 5).slice(1), 'p0-new-0001']),
  entry(P(1), fps('page1', 5).slice(1)),
  entry(P(2), [], 503),
];
const RUN3 = [entry(P(3), fps('page3', 5).slice(2))];

const snapshot = async (projectId: string) =>
  (await readProjectFindings(db, projectId))
    .map(({ updated_at, created_at, prev, applied_scan_run_id, project_id, ...f }) => f)
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
/** Run ids differ between projects: compare with them replaced by their order. */
const normalised = (rows: unknown[], ids: number[]) =>
  JSON.parse(JSON.stringify(rows), (_k, v) =>
    typeof v === 'number' && ids.includes(v) ? `run${ids.indexOf(v)}` : v,
  );

async function reference(runs: ReturnType<typeof entry>[][]) {
  const project = newId('project');
  const ids: number[] = [];
  const deltas = [];
  for (const pages of runs) {
    const run = await committedRun(project, pages);
    ids.push(run.id);
    const out = await applyRunToFindings(db, run);
    deltas.push(out.kind === 'applied' ? out.delta : out.kind);
  }
  return { rows: normalised(await snapshot(project), ids), deltas };
}

describe('applying a run to findings', () => {
  it('a crash after any number of finding writes, then the retry, leaves what no crash leaves', async () => {
    const expected = await reference([RUN1, RUN2]);
    expect(expected.deltas[1]).toEqual({ new: 1, fixed: 2, reopened: 0, unchanged: 8, not_rechecked: 10 });
    // Run 2 writes 1 + 2 + 8 + 5 (page errors) findings; crash before each of them.
    for (const n of [1, 2, 5, 9, 13, 16]) {
      const project = newId('project');
      const r1 = await committedRun(project, RUN1);
      await applyRunToFindings(db, r1);
      const r2 = await committedRun(project, RUN2);
      await expect(applyRunToFindings(crashingAfter(n), r2)).rejects.toThrow(Crashed);
      const retried = await applyRunToFindings(db, r2);
      expect(retried.kind === 'applied' && retried.delta, `crash at ${n}`).toEqual(expected.deltas[1]);
      expect(normalised(await snapshot(project), [r1.id, r2.id]), `crash at ${n}`).toEqual(expected.rows);
      expect((await getScanRun(db, r2.id, true))?.findings_delta).toEqual(expected.deltas[1]);
      // A replayed record of the applied run changes nothing.
      expect(await applyRunToFindings(db, r2)).toEqual({ kind: 'already_applied' });
    }
  });

  it('a run cut off by its deadline stops, keeps its writes, and its retries go on from there: each finding written once', async () => {
    const expected = await reference([RUN1, RUN2]);
    const project = newId('project');
    const r1 = await committedRun(project, RUN1);
    await applyRunToFindings(db, r1);
    const r2 = await committedRun(project, RUN2);
    // Count run 2's finding writes; the invocation's time runs out after every 5 of them.
    const written: string[] = [];
    let sinceStart = 0;
    const send = (async (command: { input: Record<string, any> }) => {
      const sk = String(command.input?.Key?.sk ?? '');
      if (command.constructor.name === 'UpdateCommand' && sk.startsWith('FINDING#')) {
        written.push(sk);
        sinceStart++;
      }
      return db.doc.send(command as never);
    }) as Db['doc']['send'];
    const counting = { table: db.table, doc: { send } as Db['doc'] };
    const deadline = { remainingMs: () => (sinceStart >= 5 ? 9_000 : 60_000) };
    let invocations = 0;
    let out: Awaited<ReturnType<typeof applyRunToFindings>> | undefined;
    while (!out) {
      invocations++;
      sinceStart = 0;
      try {
        out = await applyRunToFindings(counting, r2, undefined, undefined, deadline);
      } catch (err) {
        expect(err).toBeInstanceOf(FindingsIncompleteError);
      }
      expect(invocations).toBeLessThan(10);
    }
    // 16 findings change (1 new, 2 fixed, 8 unchanged seen again, 5 on the 503 page): 4 invocations,
    // each finding written exactly once, none twice.
    expect(written).toHaveLength(16);
    expect(new Set(written).size).toBe(16);
    expect(invocations).toBe(4);
    expect(out.kind === 'applied' && out.delta).toEqual(expected.deltas[1]);
    expect(normalised(await snapshot(project), [r1.id, r2.id])).toEqual(expected.rows);
    expect(await applyRunToFindings(db, r2)).toEqual({ kind: 'already_applied' });
  });

  it("reads the run's pages and issues, and the project's findings, with consistent reads", async () => {
    // Right after the commit an eventually consistent read could miss an issue and call it fixed;
    // DynamoDB Local is always consistent, so the requests themselves are checked.
    const project = newId('project');
    const r1 = await committedRun(project, RUN1);
    const queries: { pk: string; consistent: unknown }[] = [];
    const send = (async (command: { input: Record<string, any> }) => {
      if (command.constructor.name === 'QueryCommand')
        queries.push({
          pk: String(command.input.ExpressionAttributeValues?.[':pk']),
          consistent: command.input.ConsistentRead,
        });
      return db.doc.send(command as never);
    }) as Db['doc']['send'];
    await applyRunToFindings({ table: db.table, doc: { send } as Db['doc'] }, r1);
    expect(queries.some((q) => q.pk.startsWith('SCANRUN#'))).toBe(true);
    expect(queries.some((q) => q.pk.startsWith('FINDINGS#'))).toBe(true);
    expect(queries.filter((q) => q.consistent !== true)).toEqual([]);
  });

  it('a later run after an abandoned one starts from the committed state; the abandoned one is superseded', async () => {
    const expected = await reference([RUN1, RUN3]);
    const project = newId('project');
    const r1 = await committedRun(project, RUN1);
    await applyRunToFindings(db, r1);
    const r2 = await committedRun(project, RUN2);
    const r3 = await committedRun(project, RUN3);
    await expect(applyRunToFindings(crashingAfter(6), r2)).rejects.toThrow(Crashed);
    // Run 3 waits for run 2's lease; once it ran out, run 3 is applied over the committed state.
    const noSleep = async () => {};
    await expect(applyRunToFindings(db, r3, { nowMs: Date.now }, noSleep)).rejects.toThrow(FindingsBusyError);
    const later = { nowMs: () => Date.now() + 10 * 60_000 };
    const out = await applyRunToFindings(db, r3, later);
    expect(out.kind === 'applied' && out.delta).toEqual(expected.deltas[1]);
    expect(normalised(await snapshot(project), [r1.id, r3.id])).toEqual(expected.rows);
    // The abandoned run's retry changes nothing and says so.
    expect(await applyRunToFindings(db, r2)).toMatchObject({ kind: 'superseded', appliedScanRunId: r3.id });
    expect((await getScanRun(db, r2.id, true))?.findings_status).toBe('superseded');
    expect(normalised(await snapshot(project), [r1.id, r3.id])).toEqual(expected.rows);
  });
});
