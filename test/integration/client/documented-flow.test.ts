import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebRiskOpsClient, type WebRiskOpsClient } from '../../../client/index.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { SHORT_DELIVERY_SCHEDULE, startTestStack, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';

/**
 * examples/documented-flow.ts, run as a child process against the local stack (API server, stream →
 * dispatcher, SQS → delivery worker) and the in-process reference receiver, the way a user runs it
 * against `npm start`: its API URL from `$WRO_DATA_DIR/stack.json` and the scanner secret from
 * `$WRO_DATA_DIR/dev-scanner-secret`, as npm start writes them. Everything is on loopback.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const EXAMPLE = 'examples/documented-flow.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let token: string;
let api: WebRiskOpsClient;
const receivers: ReferenceReceiver[] = [];

beforeAll(async () => {
  stack = await startTestStack({ workers: true, env: SHORT_DELIVERY_SCHEDULE });
  // The README's account: `npm run admin -- create-account --name Example --plan team --json`.
  const account = await createAccount(stack.db, { name: 'Example', plan: 'team' });
  token = (await createToken(stack.db, { accountId: account.id })).api_token;
  api = createWebRiskOpsClient({ baseUrl: stack.apiUrl, token });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the example with only these variables (and PATH); asynchronous, since the stack is in this process. */
function runExample(env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A data folder like npm start's: stack.json with api_url, and the development scanner secret. */
function npmStartDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wro-example-'));
  writeFileSync(join(dir, 'stack.json'), `${JSON.stringify({ api_url: stack.apiUrl }, null, 2)}\n`);
  writeFileSync(join(dir, 'dev-scanner-secret'), TEST_SCANNER_SECRET, { mode: 0o600 });
  return dir;
}

/**
 * A reference receiver that reads the new target's signing secret from the file the example writes
 * (WEBRISKOPS_WEBHOOK_SECRET_FILE) at every request, as `npm run receiver` does with that variable.
 */
async function receiverFollowingSecretFile(file: string) {
  const receiver = await startReferenceReceiver({ secrets: [], secretsFile: file, print: () => {} });
  receivers.push(receiver);
  return receiver;
}

describe('examples/documented-flow.ts against the local stack', () => {
  it('runs project → scan run → postback → target → export → approve → exported, delivering once', async () => {
    const dataDir = npmStartDataDir();
    const secretFile = join(dataDir, 'webhook-secret');
    const receiver = await receiverFollowingSecretFile(secretFile);
    const run = await runExample({
      WRO_DATA_DIR: dataDir,
      WEBRISKOPS_API_TOKEN: token,
      WEBRISKOPS_RECEIVER_URL: `${receiver.url}/webriskops`,
      WEBRISKOPS_WEBHOOK_SECRET_FILE: secretFile,
      WEBRISKOPS_POLL_TIMEOUT_SECONDS: '30',
    });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines, 'stdout is the one result line').toHaveLength(1);
    const result = JSON.parse(lines.at(-1)!);
    expect(result).toMatchObject({
      project_id: expect.stringMatching(/^prj_/),
      scan_run_id: expect.any(Number),
      target_id: expect.stringMatching(/^tgt_/),
      export_id: expect.stringMatching(/^exp_/),
      delivery_id: expect.any(String),
      status: 'exported',
    });
    // The signing secret went to the file for the receiver, never to the output.
    const secret = readFileSync(secretFile, 'utf8');
    expect(secret).toMatch(/^whsec_/);
    expect(run.stdout + run.stderr).not.toContain(secret);

    // Exactly one delivery reached the receiver: the printed delivery id, of the printed export.
    expect([...receiver.accepted.keys()]).toEqual([result.delivery_id]);
    const payload = receiver.accepted.get(result.delivery_id) as {
      type: string;
      export_id: string;
      scan_run: { scan_run_id: number; project_id: string };
      issues: { fingerprint: string }[];
    };
    expect(payload).toMatchObject({
      type: 'ticket_export',
      export_id: result.export_id,
      scan_run: { scan_run_id: result.scan_run_id, project_id: result.project_id },
    });
    expect(payload.issues.map((i) => i.fingerprint)).toEqual(['fp-missing-csp-home']);
    const accepted = receiver.requests.filter((r) => r.answer === 200);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ verified: true, path: '/webriskops' });
    // Every request the receiver saw was this delivery (the secret file is written before approval,
    // so there is just the one; a request that beat it would have been answered 503 and retried).
    for (const r of receiver.requests) {
      expect(r.headers['x-webriskops-delivery-id']).toBe(result.delivery_id);
      expect([200, 503]).toContain(r.answer);
    }

    // The API agrees: exported, after as many attempts as the receiver saw requests, with its ticket.
    const view = await api.GET('/api/ticket-exports/{exportId}', {
      params: { path: { exportId: result.export_id } },
    });
    expect(view.response.status).toBe(200);
    expect(view.data).toMatchObject({
      id: result.export_id,
      status: 'exported',
      target_id: result.target_id,
      delivery_id: result.delivery_id,
      attempts: receiver.requests.length,
      ticket: receiver.tickets.get(result.delivery_id),
    });
    expect(result.ticket).toEqual(view.data?.ticket);
    const scanRun = await api.GET('/api/scan-runs/{scanRunId}', {
      params: { path: { scanRunId: result.scan_run_id } },
    });
    expect(scanRun.data).toMatchObject({ status: 'completed', project_id: result.project_id });
  });

  it('stops with exit code 1 and the error envelope on an unexpected answer (a wrong scanner secret)', async () => {
    const receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
    receivers.push(receiver);
    const run = await runExample({
      WRO_DATA_DIR: mkdtempSync(join(tmpdir(), 'wro-example-')), // no stack.json: the URL is explicit
      WEBRISKOPS_API_URL: stack.apiUrl,
      WEBRISKOPS_API_TOKEN: token,
      WRO_SCANNER_SHARED_SECRET: 'not-the-scanner-secret-0123456789',
      WEBRISKOPS_RECEIVER_URL: `${receiver.url}/webriskops`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('scanner postback: expected 202, got 401');
    const envelope = JSON.parse(run.stderr.trim().split('\n').at(-1)!);
    expect(envelope).toMatchObject({ error: { code: 'UNAUTHORIZED', request_id: expect.any(String) } });
    expect(receiver.requests).toHaveLength(0);
  });

  it('names the missing setting when there is no token', async () => {
    const run = await runExample({
      WRO_DATA_DIR: npmStartDataDir(),
      WEBRISKOPS_RECEIVER_URL: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('set WEBRISKOPS_API_TOKEN');
  });
});
