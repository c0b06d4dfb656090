import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { apiClient } from '../../support/api-client.ts';
import { SHORT_DELIVERY_SCHEDULE, startTestStack, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';
import { issue } from '../../support/scanner-fixtures.ts';
import { accountWithProject } from '../../support/scenario.ts';
import { phpSnippetAccepts, pollExport } from './e2e-helpers.ts';

/**
 * The whole chain through the API: scan run → scanner postback (issues stored, sanitized) → prepared
 * export (preview) → approval → signed delivery of exactly the preview; and scan_run.failed events
 * from a failed postback.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let n = 0;
const receivers: ReferenceReceiver[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    workers: true,
    env: SHORT_DELIVERY_SCHEDULE,
  });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

const postResults = (body: unknown) =>
  api('POST', '/api/scanner/results', {
    headers: { 'X-Scanner-Secret': TEST_SCANNER_SECRET },
    idempotencyKey: `scan-${++n}`,
    body,
  });

/** Fake credentials are assembled at run time so this file does not look like a leak. */
const AWS_KEY_ID = ['AK', 'IA', 'Z7Q4', 'MBXP', 'L2RT', 'N6WY'].join('');

async function completedRun() {
  const ctx = await accountWithProject(stack.db, api);
  return { ...ctx, scanRunId: await complete(await ctx.newScanRun()) };
}

/** Posts the three-issue login page for the run: it completes with fp-000001 … fp-000003. */
async function complete(id: number) {
  const res = await postResults({
    scanRunId: id,
    status: 'completed',
    page: {
      url: 'https://example.test/login',
      normalizedUrl: 'https://example.test/login',
      statusCode: 200,
      pageType: 'login',
      responseHeaders: { 'set-cookie': 'session=abc', 'content-type': 'text/html' },
    },
    artifacts: { screenshotPath: 'artifacts/run/login.png', htmlSnapshotPath: 'artifacts/run/login.html' },
    issues: [
      issue(1, { screenshotPath: 'artifacts/run/issue-1.png', suggestedRemediation: 'Add a CSP header.' }),
      issue(2, { evidence: `key in page source: ${AWS_KEY_ID}`, businessImpact: 'Account takeover.' }),
      issue(3),
    ],
  });
  expect(res.status).toBe(202);
  return id;
}

async function target(token: string, events?: string[]) {
  const receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  receivers.push(receiver);
  const res = await api('POST', '/api/ticket-export-targets', {
    token,
    idempotencyKey: `target-${++n}`,
    body: {
      provider_key: 'generic_webhook',
      base_url: `${receiver.url}/hooks`,
      deployment_mode: 'cloud',
      name: 'Receiver',
      ...(events ? { events } : {}),
    },
  });
  expect(res.status).toBe(201);
  receiver.setSecrets([res.body.signing_secret]);
  return { receiver, targetId: res.body.id as string, secret: res.body.signing_secret as string };
}

const prepare = (token: string, body: unknown) =>
  api('POST', '/api/ticket-exports', { token, idempotencyKey: `export-${++n}`, body });

describe('preparing an export from stored issues', () => {
  it('previews exactly the body that is then delivered: sanitized, no artifact paths or headers', async () => {
    const { token, scanRunId } = await completedRun();
    const created = await prepare(token, {
      scan_run_id: scanRunId,
      issue_fingerprints: ['fp-000001', 'fp-000002'],
      title: 'Login page findings',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending_approval',
      scan_run_id: scanRunId,
      issue_fingerprints: ['fp-000001', 'fp-000002'],
      title: 'Login page findings',
      preview_safe: true,
      preview_findings: [],
      target_id: null,
      attempts: 0,
    });
    const { preview } = created.body;
    expect(preview).toMatchObject({
      type: 'ticket_export',
      export_id: created.body.id,
      title: 'Login page findings',
      scan_run: { scan_run_id: scanRunId },
    });
    expect(preview.issues.map((i: { fingerprint: string }) => i.fingerprint)).toEqual([
      'fp-000001',
      'fp-000002',
    ]);
    expect(preview.issues[0]).toMatchObject({
      severity: 'high',
      title: 'Issue 1',
      suggested_remediation: 'Add a CSP header.',
      page_url: 'https://example.test/login',
    });
    // Sanitized at ingestion: the key is a typed marker in the preview too.
    expect(preview.issues[1].evidence).toBe('key in page source: [REDACTED:aws_access_key_id]');
    const text = JSON.stringify(preview);
    expect(text).not.toContain(AWS_KEY_ID);
    expect(text).not.toContain('artifacts/');
    expect(text).not.toMatch(/screenshot|snapshot|set-cookie|response_headers/i);

    const got = await api('GET', `/api/ticket-exports/${created.body.id}`, { token });
    expect(got.body.preview).toEqual(preview);

    const { receiver, targetId, secret } = await target(token);
    const approved = await api('POST', `/api/ticket-exports/${created.body.id}/approve`, {
      token,
      idempotencyKey: `approve-${n}`,
      body: { target_id: targetId },
    });
    expect(approved.status).toBe(202);
    expect(approved.body).toMatchObject({ status: 'queued', target_id: targetId });
    const seen = await pollExport(api, token, created.body.id);
    expect(seen.at(-1).status).toBe('exported');
    const [request] = receiver.requests;
    expect(request!.rawBody).toBe(JSON.stringify(preview));
    expect(JSON.parse(request!.rawBody)).toEqual(preview);
    expect(phpSnippetAccepts(request!, secret)).toBe(true);
  });

  it('keeps the ticket the receiver names, and flags its findings in a later export of the project', async () => {
    const { token, scanRunId, newScanRun } = await completedRun();
    const first = await prepare(token, {
      scan_run_id: scanRunId,
      issue_fingerprints: ['fp-000001', 'fp-000002'],
    });
    expect(first.body).toMatchObject({ ticketed_findings: [], ticket: null });
    const { receiver, targetId } = await target(token);
    const approved = await api('POST', `/api/ticket-exports/${first.body.id}/approve`, {
      token,
      idempotencyKey: `approve-${n}`,
      body: { target_id: targetId },
    });
    expect(approved.status).toBe(202);
    const seen = await pollExport(api, token, first.body.id);
    const made = receiver.tickets.get(first.body.delivery_id);
    expect(made?.id).toMatch(/^REF-/);
    expect(seen.at(-1)).toMatchObject({ status: 'exported', ticket: made });

    // The findings record the ticket from the committed change (dispatcher), shortly after.
    const laterRun = await complete(await newScanRun());
    let flagged: any;
    for (let i = 0; i < 50 && !flagged?.ticketed_findings?.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      flagged = (
        await prepare(token, { scan_run_id: laterRun, issue_fingerprints: ['fp-000002', 'fp-000003'] })
      ).body;
    }
    expect(flagged.ticketed_findings).toEqual([
      { fingerprint: 'fp-000002', ticket: made, export_id: first.body.id },
    ]);
    const got = await api('GET', `/api/ticket-exports/${flagged.id}`, { token });
    expect(got.body.ticketed_findings).toEqual(flagged.ticketed_findings);
  });

  it('names every unknown fingerprint (422)', async () => {
    const { token, scanRunId } = await completedRun();
    const res = await prepare(token, {
      scan_run_id: scanRunId,
      issue_fingerprints: ['fp-000001', 'fp-unknown-1', 'fp-000003', 'fp-missing-2'],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'issue_fingerprints.1',
      'issue_fingerprints.3',
    ]);
    expect(res.body.error.message).toContain('fp-unknown-1');
    expect(res.body.error.message).toContain('fp-missing-2');
  });

  it('needs a completed scan run of the account', async () => {
    const { token, scanRunId, newScanRun } = await completedRun();
    const other = await accountWithProject(stack.db, api);
    const foreign = await prepare(other.token, { scan_run_id: scanRunId, issue_fingerprints: ['fp-000001'] });
    expect([foreign.status, foreign.body.error.code]).toEqual([422, 'SCAN_RUN_NOT_FOUND']);
    expect(foreign.body.error.details[0].field).toBe('scan_run_id');
    const missing = await prepare(token, { scan_run_id: 99_999_999, issue_fingerprints: ['fp-000001'] });
    expect(missing.body.error.code).toBe('SCAN_RUN_NOT_FOUND');
    const queued = await newScanRun();
    const notDone = await prepare(token, { scan_run_id: queued, issue_fingerprints: ['fp-000001'] });
    expect([notDone.status, notDone.body.error.code]).toEqual([409, 'SCAN_RUN_NOT_COMPLETED']);
  });

  it('validates the body, naming each field', async () => {
    const { token } = await completedRun();
    const res = await prepare(token, { scan_run_id: '1', issue_fingerprints: [], title: '' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'issue_fingerprints',
      'scan_run_id',
      'title',
    ]);
  });

  it('a preview that still trips the secret detector is not safe and cannot be approved', async () => {
    const { token, scanRunId } = await completedRun();
    const res = await prepare(token, {
      scan_run_id: scanRunId,
      issue_fingerprints: ['fp-000003'],
      title: `Rotate ${AWS_KEY_ID} now`,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ preview_safe: false, preview_findings: ['aws_access_key_id'] });
    const { targetId } = await target(token);
    const approve = await api('POST', `/api/ticket-exports/${res.body.id}/approve`, {
      token,
      idempotencyKey: `approve-${++n}`,
      body: { target_id: targetId },
    });
    expect([approve.status, approve.body.error.code]).toEqual([409, 'PREVIEW_NOT_SAFE']);
  });
});

describe('scan_run.failed from a failed scanner postback', () => {
  it('is delivered to the subscribed target, signed', async () => {
    const ctx = await accountWithProject(stack.db, api);
    const subscribed = await target(ctx.token);
    const exportsOnly = await target(ctx.token, ['ticket_export']);
    const id = await ctx.newScanRun();
    const res = await postResults({
      scanRunId: id,
      status: 'failed',
      error: { code: 'CRAWL_TIMEOUT', message: 'The crawl timed out.' },
    });
    expect(res.status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (subscribed.receiver.accepted.size === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const [request] = subscribed.receiver.requests;
    expect(request?.verified).toBe(true);
    expect(phpSnippetAccepts(request!, subscribed.secret)).toBe(true);
    expect(JSON.parse(request!.rawBody)).toMatchObject({
      type: 'scan_run.failed',
      scan_run: { scan_run_id: id, status: 'failed', error: { code: 'CRAWL_TIMEOUT' } },
    });
    expect(exportsOnly.receiver.requests).toHaveLength(0);
  });
});
