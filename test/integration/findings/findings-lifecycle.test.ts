import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { issue } from '../../support/scanner-fixtures.ts';
import { accountWithProject, scannerPostback } from '../../support/scenario.ts';

/**
 * Findings across scan runs, end to end on the local stack with the dispatcher running (issue 13's
 * check): run 1 has page P1 with finding A and P2 with B; run 2 rescans P1 only, without A → A fixed,
 * B not rechecked and still open; run 3 shows A again → reopened; P1 answering 503 leaves A open;
 * dismissing B survives a run that shows B again; replaying run 2's postback changes nothing.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let acct: Awaited<ReturnType<typeof accountWithProject>>;
let other: Awaited<ReturnType<typeof accountWithProject>>;
let post: ReturnType<typeof scannerPostback>;

const P1 = 'https://example.test/p1';
const P2 = 'https://example.test/p2';
const A = 'finding-A-0001';
const B = 'finding-B-0002';
const C = 'finding-C-0003';

const page = (url: string, fingerprints: string[], statusCode = 200) => ({
  page: { url, normalizedUrl: url, statusCode, pageType: 'article', responseHeaders: {} },
  artifacts: { screenshotPath: 'artifacts/x.png' },
  issues: fingerprints.map((fp, i) => issue(i, { fingerprint: fp, title: `Finding ${fp}` })),
});

beforeAll(async () => {
  stack = await startTestStack({ workers: true });
  api = apiClient(stack.apiUrl);
  acct = await accountWithProject(stack.db, api, { credits: 20 });
  other = await accountWithProject(stack.db, api, { credits: 2 });
  post = scannerPostback(api);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Posts a completed run of these pages and waits until the dispatcher applied it to the findings. */
async function completedRun(pages: ReturnType<typeof page>[], key = `k-${Math.random()}`) {
  const id = await acct.newScanRun();
  const body = { scanRunId: id, status: 'completed', pages };
  const res = await post(body, key);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const run = await applied(id);
  return { id, body, key, run };
}

async function applied(id: number) {
  for (let i = 0; i < 300; i++) {
    const res = await api('GET', `/api/scan-runs/${id}`, { token: acct.token });
    if (res.body.findings_status !== 'pending') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} was not applied to its findings`);
}

async function findings(query = ''): Promise<Record<string, any>> {
  const res = await api('GET', `/api/projects/${acct.projectId}/findings${query}`, { token: acct.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Object.fromEntries(res.body.items.map((f: any) => [f.fingerprint, f]));
}

describe('findings across scan runs', () => {
  let run2: Awaited<ReturnType<typeof completedRun>>;

  it('run 1: A on P1 and B on P2 are new and open', async () => {
    const { run } = await completedRun([page(P1, [A]), page(P2, [B])]);
    expect(run.findings_status).toBe('applied');
    expect(run.findings_delta).toEqual({ new: 2, fixed: 0, reopened: 0, unchanged: 0, not_rechecked: 0 });
    const f = await findings();
    expect(Object.keys(f).sort()).toEqual([A, B]);
    expect(f[A]).toMatchObject({
      state: 'open',
      recheck: 'seen',
      page_url: P1,
      first_scan_run_id: run.scan_run_id,
    });
    // The link to the latest issue record answers that issue.
    const linked = await api('GET', f[A].latest_issue.url, { token: acct.token });
    expect(linked.body.items.map((i: any) => i.fingerprint)).toEqual([A]);
  });

  it('run 2 rescans P1 only, without A: A fixed, B not rechecked and still open', async () => {
    run2 = await completedRun([page(P1, [])]);
    expect(run2.run.findings_delta).toEqual({
      new: 0,
      fixed: 1,
      reopened: 0,
      unchanged: 0,
      not_rechecked: 1,
    });
    const f = await findings();
    expect(f[A]).toMatchObject({ state: 'fixed', fixed_scan_run_id: run2.id, recheck: null });
    expect(f[B]).toMatchObject({ state: 'open', recheck: 'page_not_scanned' });
  });

  it("replaying run 2's postback changes nothing", async () => {
    const before = await findings();
    const res = await post(run2.body, run2.key);
    expect(res.status).toBe(202);
    const again = await post(run2.body, `other-key-${Math.random()}`);
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await findings()).toEqual(before);
    expect(
      (await api('GET', `/api/scan-runs/${run2.id}`, { token: acct.token })).body.findings_delta,
    ).toEqual(run2.run.findings_delta);
  });

  it('run 3 shows A again: reopened', async () => {
    const { run } = await completedRun([page(P1, [A])]);
    expect(run.findings_delta).toEqual({ new: 0, fixed: 0, reopened: 1, unchanged: 0, not_rechecked: 1 });
    expect((await findings())[A]).toMatchObject({
      state: 'reopened',
      last_seen_scan_run_id: run.scan_run_id,
    });
  });

  it('P1 answering 503 leaves A as it is, and says why', async () => {
    const { run } = await completedRun([page(P1, [], 503)]);
    expect(run.findings_delta).toMatchObject({ fixed: 0, not_rechecked: 2 });
    const f = await findings();
    expect(f[A]).toMatchObject({
      state: 'reopened',
      recheck: 'page_error',
      page_error: { scan_run_id: run.scan_run_id, status_code: 503 },
    });
  });

  it('a dismissal of B survives a run that shows B again; PUT again is the same; DELETE takes it back', async () => {
    const path = `/api/projects/${acct.projectId}/findings/${B}/triage`;
    const body = { status: 'dismissed', reason: 'accepted_risk', comment: 'Behind VPN' };
    const first = await api('PUT', path, { token: acct.token, body });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.triage).toMatchObject({
      status: 'dismissed',
      reason: 'accepted_risk',
      comment: 'Behind VPN',
    });
    const second = await api('PUT', path, { token: acct.token, body });
    expect(second.body.triage).toEqual(first.body.triage);

    const { run } = await completedRun([page(P2, [B, C])]);
    expect(run.findings_delta).toMatchObject({ new: 1, unchanged: 1 });
    const f = await findings();
    expect(f[B].triage).toEqual(first.body.triage);
    expect(f[B].state).toBe('open');
    expect(Object.keys(await findings('?triage=dismissed'))).toEqual([B]);
    expect(Object.keys(await findings('?triage=none')).sort()).toEqual([A, C]);
    expect(Object.keys(await findings('?state=reopened'))).toEqual([A]);

    const undone = await api('DELETE', path, { token: acct.token });
    expect(undone.status).toBe(200);
    expect(undone.body.triage).toBeNull();
  });

  it('another account sees none of it; unknown findings and bad filters are refused', async () => {
    const foreign = await api('GET', `/api/projects/${acct.projectId}/findings`, { token: other.token });
    expect(foreign.status).toBe(404);
    const put = await api('PUT', `/api/projects/${acct.projectId}/findings/${A}/triage`, {
      token: other.token,
      body: { status: 'dismissed', reason: 'wont_fix' },
    });
    expect(put.status).toBe(404);
    const missing = await api('PUT', `/api/projects/${acct.projectId}/findings/no-such-finding/triage`, {
      token: acct.token,
      body: { status: 'dismissed', reason: 'wont_fix' },
    });
    expect(missing.status).toBe(404);
    const bad = await api('GET', `/api/projects/${acct.projectId}/findings?state=closed`, {
      token: acct.token,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('state');
    const badReason = await api('PUT', `/api/projects/${acct.projectId}/findings/${A}/triage`, {
      token: acct.token,
      body: { status: 'dismissed', reason: 'because' },
    });
    expect(badReason.status).toBe(422);
  });
});
