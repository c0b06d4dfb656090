/**
 * The documented flow, end to end, with the generated TypeScript client (client/index.ts) only:
 * project → scan run → scanner postback (completed, one page, one issue) → generic_webhook target →
 * ticket export from the issue → approve → poll GET /api/ticket-exports/{id} until `exported`.
 *
 *   npx tsx examples/documented-flow.ts      (against `npm start`; README, "TypeScript client")
 *
 * Environment:
 *   WEBRISKOPS_API_TOKEN             required: an API token (npm run admin -- create-account … --json);
 *                                    the plan must allow generic_webhook targets (team or enterprise)
 *   WEBRISKOPS_RECEIVER_URL          required: the webhook target's base_url, a receiver answering 2xx
 *                                    (e.g. http://127.0.0.1:4000/webriskops for `npm run receiver`)
 *   WEBRISKOPS_API_URL               the API; default `api_url` from $WRO_DATA_DIR/stack.json, which
 *                                    `npm start` writes (WRO_DATA_DIR default .local)
 *   WRO_SCANNER_SHARED_SECRET        the scanner secret; default the development secret `npm start`
 *                                    keeps in $WRO_DATA_DIR/dev-scanner-secret
 *   WEBRISKOPS_WEBHOOK_SECRET_FILE   optional: where to write the new target's signing secret (mode
 *                                    0600, never printed) so the receiver can verify its deliveries
 *   WEBRISKOPS_POLL_TIMEOUT_SECONDS  how long to poll for `exported` (default 60)
 *
 * Progress goes to stderr; at the end one JSON line goes to stdout:
 *   {"project_id":"prj_…","scan_run_id":1,"target_id":"tgt_…","export_id":"exp_…","delivery_id":"dlv_…",
 *    "status":"exported","attempts":1,"ticket":{…}}
 * Any unexpected answer stops it with exit code 1, the step, the status and the error envelope.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  createWebRiskOpsClient,
  idempotencyKey,
  type ScannerResult,
  type TicketExport,
} from '../client/index.ts';

/** A step that did not go as documented; `body` is what the API answered (the error envelope). */
class FlowError extends Error {
  constructor(
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new FlowError(`set ${name} (see the top of examples/documented-flow.ts)`);
  return value;
}

const dataDir = () => resolve(process.env.WRO_DATA_DIR ?? '.local');

function apiUrl(): string {
  if (process.env.WEBRISKOPS_API_URL) return process.env.WEBRISKOPS_API_URL;
  const file = join(dataDir(), 'stack.json');
  if (!existsSync(file))
    throw new FlowError(
      `WEBRISKOPS_API_URL is not set and ${file} does not exist: start the stack with npm start`,
    );
  const url = (JSON.parse(readFileSync(file, 'utf8')) as { api_url?: unknown }).api_url;
  if (typeof url !== 'string') throw new FlowError(`${file} has no api_url`);
  return url;
}

function scannerSecret(): string {
  if (process.env.WRO_SCANNER_SHARED_SECRET) return process.env.WRO_SCANNER_SHARED_SECRET;
  const file = join(dataDir(), 'dev-scanner-secret');
  if (!existsSync(file))
    throw new FlowError(
      `WRO_SCANNER_SHARED_SECRET is not set and ${file} (npm start's development secret) does not exist`,
    );
  return readFileSync(file, 'utf8').trim();
}

function pollTimeoutMs(): number {
  const raw = process.env.WEBRISKOPS_POLL_TIMEOUT_SECONDS ?? '60';
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new FlowError(`WEBRISKOPS_POLL_TIMEOUT_SECONDS must be a positive number of seconds, got ${raw}`);
  return seconds * 1000;
}

/** The answer's body when the status is the expected one; otherwise stops with the error envelope. */
function expectStatus<T>(
  step: string,
  expected: number,
  result: { data?: T; error?: unknown; response: Response },
): T {
  const { status } = result.response;
  if (status !== expected || result.data === undefined)
    throw new FlowError(`${step}: expected ${expected}, got ${status}`, result.error ?? result.data);
  return result.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Terminal export states (docs: poll until exported, blocked or failed; retry_scheduled waits). */
const STOPPED: readonly TicketExport['status'][] = ['failed', 'blocked'];

async function main() {
  const token = required('WEBRISKOPS_API_TOKEN');
  const receiverUrl = required('WEBRISKOPS_RECEIVER_URL');
  const api = createWebRiskOpsClient({ baseUrl: apiUrl(), token, scannerSecret: scannerSecret() });
  const timeoutMs = pollTimeoutMs();
  const run = idempotencyKey('example'); // each step is a new logical request: its own key

  const project = expectStatus(
    'create project',
    201,
    await api.POST('/api/projects', {
      params: { header: { 'Idempotency-Key': `${run}-project` } },
      body: { name: 'Example site', base_url: 'https://example.test' },
    }),
  );
  log(`project ${project.id} created`);

  const scanRun = expectStatus(
    'create scan run',
    201,
    await api.POST('/api/projects/{projectId}/scan-runs', {
      params: { path: { projectId: project.id }, header: { 'Idempotency-Key': `${run}-scan-run` } },
    }),
  );
  const scanRunId = scanRun.scan_run_id;
  log(`scan run ${scanRunId} ${scanRun.status}`);

  // The documented postback (docs: Scanner results API), with one issue on its one page.
  const fingerprint = 'fp-missing-csp-home';
  const result: ScannerResult = {
    scanRunId,
    status: 'completed',
    page: {
      url: 'https://example.test',
      normalizedUrl: 'https://example.test/',
      statusCode: 200,
      pageType: 'home',
      responseHeaders: {},
    },
    artifacts: { screenshotPath: 'artifacts/example-home.png' },
    issues: [
      {
        category: 'security',
        type: 'missing_header',
        severity: 'medium',
        title: 'Missing Content-Security-Policy header',
        description: 'The home page is served without a Content-Security-Policy header.',
        fingerprint,
        confidence: 90,
        evidence: 'Header Content-Security-Policy absent',
      },
    ],
  };
  const accepted = expectStatus(
    'scanner postback',
    202,
    await api.POST('/api/scanner/results', {
      params: { header: { 'Idempotency-Key': `scan-run-${scanRunId}-attempt-1` } },
      body: result,
    }),
  );
  if (accepted.status !== 'completed' || accepted.duplicate)
    throw new FlowError('scanner postback: the run did not complete with this postback', accepted);
  log(`scan run ${scanRunId} completed`);

  const issues = expectStatus(
    'list issues',
    200,
    await api.GET('/api/scan-runs/{scanRunId}/issues', {
      params: { path: { scanRunId } },
    }),
  );
  const issue = issues.items.find((i) => i.fingerprint === fingerprint);
  if (!issue) throw new FlowError(`list issues: ${fingerprint} is not stored`, issues);

  const target = expectStatus(
    'create ticket export target',
    201,
    await api.POST('/api/ticket-export-targets', {
      params: { header: { 'Idempotency-Key': `${run}-target` } },
      body: {
        provider_key: 'generic_webhook',
        base_url: receiverUrl,
        deployment_mode: 'webhook-only',
        name: 'Example webhook target',
      },
    }),
  );
  const secretFile = process.env.WEBRISKOPS_WEBHOOK_SECRET_FILE;
  if (secretFile) {
    // Written whole, then renamed: a receiver watching the path never reads half a secret.
    mkdirSync(dirname(secretFile), { recursive: true });
    writeFileSync(`${secretFile}.tmp`, target.signing_secret, { mode: 0o600 });
    renameSync(`${secretFile}.tmp`, secretFile);
  }
  log(`target ${target.id} ${target.status} → ${target.base_url}`);
  if (target.status !== 'active') throw new FlowError('create ticket export target: not active', target);

  const prepared = expectStatus(
    'create ticket export',
    201,
    await api.POST('/api/ticket-exports', {
      params: { header: { 'Idempotency-Key': `${run}-export` } },
      body: {
        scan_run_id: scanRunId,
        issue_fingerprints: [issue.fingerprint],
        title: 'Example site findings',
      },
    }),
  );
  log(`export ${prepared.id} ${prepared.status}`);
  // Approve only a safe preview (docs: "after the target is active and the ticket preview is safe").
  if (!prepared.preview_safe)
    throw new FlowError('create ticket export: the preview is not safe to send', prepared.preview_findings);

  const approved = expectStatus(
    'approve ticket export',
    202,
    await api.POST('/api/ticket-exports/{exportId}/approve', {
      params: { path: { exportId: prepared.id }, header: { 'Idempotency-Key': `${run}-approve` } },
      body: { target_id: target.id },
    }),
  );
  log(`export ${approved.id} ${approved.status} to ${approved.target_id}`);

  const deadline = Date.now() + timeoutMs;
  let view: TicketExport = approved;
  let last = '';
  for (;;) {
    view = expectStatus(
      'poll ticket export',
      200,
      await api.GET('/api/ticket-exports/{exportId}', { params: { path: { exportId: approved.id } } }),
    );
    const line =
      view.status === 'retry_scheduled'
        ? `export ${view.id} retry_scheduled: next attempt in ${view.retry_after_seconds} s (${view.last_error_class})`
        : `export ${view.id} ${view.status}`;
    if (line !== last) log(line);
    last = line;
    if (view.status === 'exported') break;
    if (STOPPED.includes(view.status)) throw new FlowError(`poll ticket export: ${view.status}`, view);
    const left = deadline - Date.now();
    if (left <= 0)
      throw new FlowError(
        `poll ticket export: still ${view.status} after ${timeoutMs / 1000} s (WEBRISKOPS_POLL_TIMEOUT_SECONDS)`,
        view,
      );
    // While a retry is scheduled, wait for the backoff the API states; otherwise poll twice a second.
    const wait = view.status === 'retry_scheduled' ? (view.retry_after_seconds ?? 1) * 1000 : 500;
    await sleep(Math.min(Math.max(wait, 250), left));
  }

  process.stdout.write(
    `${JSON.stringify({
      project_id: project.id,
      scan_run_id: scanRunId,
      target_id: target.id,
      export_id: view.id,
      delivery_id: view.delivery_id,
      status: view.status,
      attempts: view.attempts,
      ticket: view.ticket,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof FlowError) {
    log(`documented-flow: ${err.message}`);
    if (err.body !== undefined) log(JSON.stringify(err.body));
  } else {
    log(`documented-flow failed: ${(err as Error).message}`);
  }
  process.exitCode = 1;
});
