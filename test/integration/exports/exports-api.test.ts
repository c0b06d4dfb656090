import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/db/keys.ts';
import { getScanRun } from '../../../lib/db/scan-runs-store.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { notifyScanRunFailed } from '../../../lib/domain/event-deliveries.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { apiClient } from '../../support/api-client.ts';
import { switchableHooks } from '../../support/hooks.ts';
import { SHORT_DELIVERY_SCHEDULE, startTestStack, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';
import { phpSnippetAccepts, pollExport } from './e2e-helpers.ts';
import { putPendingExport } from './fixtures.ts';

/**
 * Ticket exports through the API on the local stack (development switch on, like `npm start`): the
 * documented snippets as written, approval rules, a crash between send and status write, poison
 * messages, scan_run.failed events.
 */
const { set: seams, hooks } = switchableHooks();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let sqs: SQSClient;
let token: string;
let otherToken: string;
let accountId: string;
let otherAccountId: string;
let n = 0;
const receivers: ReferenceReceiver[] = [];

beforeAll(async () => {
  // No DNS in tests: every name fails to resolve, as placeholder hosts do.
  seams.resolve = async (host) => {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  stack = await startTestStack({ hooks, workers: true, env: SHORT_DELIVERY_SCHEDULE });
  api = apiClient(stack.apiUrl);
  sqs = new SQSClient({
    endpoint: process.env.AWS_ENDPOINT_URL_SQS,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Enterprise: its rate limit leaves room for the tests' status polling.
  accountId = (await createAccount(stack.db, { name: 'Acme', plan: 'enterprise' })).id;
  token = (await createToken(stack.db, { accountId })).api_token;
  otherAccountId = (await createAccount(stack.db, { name: 'Other', plan: 'team' })).id;
  otherToken = (await createToken(stack.db, { accountId: otherAccountId })).api_token;
});
afterAll(async () => {
  seams.resolve = undefined;
  await Promise.all(receivers.map((r) => r.close()));
  sqs?.destroy();
  await stack?.stop();
});
afterEach(() => {
  seams.afterSend = undefined;
});

async function receiverWithTarget(opts: { events?: string[]; t?: string } = {}) {
  const receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  receivers.push(receiver);
  const target = await api('POST', '/api/ticket-export-targets', {
    token: opts.t ?? token,
    idempotencyKey: `target-${++n}`,
    body: {
      provider_key: 'generic_webhook',
      base_url: `${receiver.url}/webriskops`,
      deployment_mode: 'cloud',
      name: `Receiver ${n}`,
      ...(opts.events ? { events: opts.events } : {}),
    },
  });
  expect(target.status).toBe(201);
  receiver.setSecrets([target.body.signing_secret]);
  return { receiver, targetId: target.body.id as string, secret: target.body.signing_secret as string };
}

const approve = (exportId: string, targetId: string, t = token) =>
  api('POST', `/api/ticket-exports/${exportId}/approve`, {
    token: t,
    idempotencyKey: `approve-${++n}`,
    body: { target_id: targetId },
  });

const run = promisify(execFile);

/**
 * Runs a documented JavaScript snippet in a fresh Node process, as a user would (asynchronously: the
 * API server runs in this process).
 */
async function runJs(code: string) {
  // Reports an unexpected answer on stderr (the snippets themselves ignore it); the snippet is unchanged.
  const watch =
    'const __fetch = globalThis.fetch; globalThis.fetch = async (...a) => { const r = await __fetch(...a);' +
    ' if (!r.ok) console.error(r.status, await r.clone().text()); return r; };\n';
  const res = await run(process.execPath, ['--input-type=module', '-e', watch + code], {
    env: { PATH: process.env.PATH, WEBRISKOPS_API_TOKEN: token },
    timeout: 20_000,
  });
  expect(res.stderr).toBe('');
  return res.stdout.trim();
}

describe('the documented snippets, as written', () => {
  const CURL_TARGET = `curl -X POST "https://app.example.test/api/ticket-export-targets" \\
-H "Authorization: Bearer \${WEBRISKOPS_API_TOKEN}" \\
-H "Content-Type: application/json" \\
-H "Accept: application/json" \\
-H "Idempotency-Key: target-example-123" \\
-d '{"provider_key":"generic_webhook","base_url":"https://hooks.example.test/webriskops","deployment_mode":"webhook-only","name":"Example webhook target"}'`;

  const JS_APPROVE = `await fetch("https://app.example.test/api/ticket-exports/example-export-id/approve", {
method: "POST",
headers: {
"Authorization": \`Bearer \${process.env.WEBRISKOPS_API_TOKEN}\`,
"Content-Type": "application/json",
"Accept": "application/json",
"Idempotency-Key": "approve-ticket-export-example-123"
},
body: JSON.stringify({ target_id: "target_example_123" })
});`;

  const JS_POLL = `const response = await fetch("https://app.example.test/api/ticket-exports/example-export-id", {
headers: {
"Authorization": \`Bearer \${process.env.WEBRISKOPS_API_TOKEN}\`,
"Accept": "application/json"
}
});
const exportStatus = await response.json();
console.log(exportStatus.status === "retry_scheduled" ? exportStatus.retry_after_seconds : exportStatus.status);`;

  const local = (snippet: string) => snippet.replaceAll('https://app.example.test', stack.apiUrl);

  it('cURL creates the placeholder generic_webhook target (201, secret shown once)', async () => {
    const res = await run('sh', ['-c', local(CURL_TARGET)], {
      env: { PATH: process.env.PATH, WEBRISKOPS_API_TOKEN: token },
      timeout: 20_000,
    });
    const body = JSON.parse(res.stdout);
    expect(body).toMatchObject({
      status: 'active',
      provider_key: 'generic_webhook',
      base_url: 'https://hooks.example.test/webriskops',
      deployment_mode: 'webhook-only',
      name: 'Example webhook target',
    });
    expect(body.signing_secret).toMatch(/^whsec_/);
  });

  it('under the development switch an unresolvable name is saved over https only', async () => {
    const res = await api('POST', '/api/ticket-export-targets', {
      token,
      idempotencyKey: `target-${++n}`,
      body: {
        provider_key: 'generic_webhook',
        base_url: 'http://hooks.example.test/webriskops',
        deployment_mode: 'cloud',
        name: 'Plain http placeholder',
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'TARGET_URL_UNSAFE',
      details: [{ field: 'base_url', message: 'only https URLs are allowed for hosts that are not local' }],
    });
  });

  it('JS approve then JS poll: retry_scheduled prints the backoff, exported prints the status', async () => {
    // The placeholder target's host does not resolve: deliveries are retried (dns_error).
    const placeholder = (await api('GET', '/api/ticket-export-targets', { token })).body.items.find(
      (t: { base_url: string }) => t.base_url === 'https://hooks.example.test/webriskops',
    );
    const exp = await putPendingExport(stack.db, { accountId });
    const withIds = (s: string, targetId: string) =>
      local(s).replaceAll('example-export-id', exp.id).replaceAll('target_example_123', targetId);
    await runJs(withIds(JS_APPROVE, placeholder.id));
    // While a retry is scheduled the snippet prints retry_after_seconds (1–2 s with this schedule); the
    // state moves on between polls, so poll as the docs say until that state is seen.
    const printed: string[] = [];
    while (!printed.some((p) => /^\d+$/.test(p)) && printed.length < 20) {
      await pollExport(api, token, exp.id, (v) => v.status === 'retry_scheduled');
      printed.push(await runJs(withIds(JS_POLL, placeholder.id)));
    }
    expect(printed.find((p) => /^\d+$/.test(p))).toMatch(/^[12]$/);
    for (const p of printed) expect(p).toMatch(/^([12]|delivering|queued)$/);

    // A second export approved to a real (local) receiver reaches exported.
    const { receiver, targetId } = await receiverWithTarget();
    const exp2 = await putPendingExport(stack.db, { accountId });
    // Another logical request: its own Idempotency-Key, as the docs ask.
    const withIds2 = (s: string) =>
      local(s)
        .replaceAll('example-export-id', exp2.id)
        .replaceAll('target_example_123', targetId)
        .replaceAll('approve-ticket-export-example-123', `approve-ticket-export-${exp2.id}`);
    await runJs(withIds2(JS_APPROVE));
    await pollExport(api, token, exp2.id);
    expect(await runJs(withIds2(JS_POLL))).toBe('exported');
    expect(receiver.accepted.size).toBe(1);
  });
});

describe('approval rules', () => {
  it('needs an active target of the same account and a safe preview (409 with clear codes)', async () => {
    const { targetId } = await receiverWithTarget();
    const exp = await putPendingExport(stack.db, { accountId });

    const unknown = await approve(exp.id, 'tgt_000000000000000000000000');
    expect([unknown.status, unknown.body.error.code]).toEqual([409, 'TARGET_NOT_FOUND']);
    const foreign = await receiverWithTarget({ t: otherToken });
    const crossTarget = await approve(exp.id, foreign.targetId);
    expect([crossTarget.status, crossTarget.body.error.code]).toEqual([409, 'TARGET_NOT_FOUND']);

    const { targetId: disabledId } = await receiverWithTarget();
    await api('DELETE', `/api/ticket-export-targets/${disabledId}`, { token });
    const disabled = await approve(exp.id, disabledId);
    expect([disabled.status, disabled.body.error.code]).toEqual([409, 'TARGET_NOT_ACTIVE']);

    const { targetId: eventsOnly } = await receiverWithTarget({ events: ['scan_run.failed'] });
    const notSubscribed = await approve(exp.id, eventsOnly);
    expect([notSubscribed.status, notSubscribed.body.error.code]).toEqual([409, 'TARGET_NOT_SUBSCRIBED']);

    const unsafe = await putPendingExport(stack.db, { accountId, previewSafe: false });
    const refused = await approve(unsafe.id, targetId);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'PREVIEW_NOT_SAFE']);

    const ok = await approve(exp.id, targetId);
    expect(ok.status).toBe(202);
    const twice = await approve(exp.id, targetId);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'EXPORT_NOT_PENDING']);
    await pollExport(api, token, exp.id);
  });

  it('replays an approval with the same Idempotency-Key instead of answering 409', async () => {
    const { targetId } = await receiverWithTarget();
    const exp = await putPendingExport(stack.db, { accountId });
    const req = { token, idempotencyKey: `same-${exp.id}`, body: { target_id: targetId } };
    const first = await api('POST', `/api/ticket-exports/${exp.id}/approve`, req);
    const second = await api('POST', `/api/ticket-exports/${exp.id}/approve`, req);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await pollExport(api, token, exp.id);
  });

  it("another account's export is 404 for every route; malformed ids too", async () => {
    const exp = await putPendingExport(stack.db, { accountId });
    const { targetId } = await receiverWithTarget({ t: otherToken });
    expect((await api('GET', `/api/ticket-exports/${exp.id}`, { token: otherToken })).status).toBe(404);
    expect((await api('GET', `/api/ticket-exports/${exp.id}/attempts`, { token: otherToken })).status).toBe(
      404,
    );
    expect((await approve(exp.id, targetId, otherToken)).status).toBe(404);
    const retry = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token: otherToken,
      idempotencyKey: 'x',
    });
    expect(retry.status).toBe(404);
    expect((await api('GET', '/api/ticket-exports/exp_nope', { token })).status).toBe(404);
    expect((await api('GET', `/api/ticket-exports/${exp.id}`, { token })).body.status).toBe(
      'pending_approval',
    );
  });

  it('a plan that no longer allows the target refuses approval with 403', async () => {
    const acc = await createAccount(stack.db, { name: 'Downgraded', plan: 'team' });
    const t = (await createToken(stack.db, { accountId: acc.id })).api_token;
    const { targetId } = await receiverWithTarget({ t });
    await stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.table,
        Key: keys.account(acc.id),
        UpdateExpression: 'SET #p = :free',
        ExpressionAttributeNames: { '#p': 'plan' },
        ExpressionAttributeValues: { ':free': 'free' },
      }),
    );
    const exp = await putPendingExport(stack.db, { accountId: acc.id });
    const res = await approve(exp.id, targetId, t);
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('retry is refused unless the export failed or was blocked', async () => {
    const exp = await putPendingExport(stack.db, { accountId });
    const res = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `r-${exp.id}`,
    });
    expect([res.status, res.body.error.code]).toEqual([409, 'EXPORT_NOT_RETRYABLE']);
  });
});

describe('failures inside the pipeline', () => {
  it('a crash after the send and before the status write: delivered again, the receiver dedupes', async () => {
    const { receiver, targetId } = await receiverWithTarget();
    const exp = await putPendingExport(stack.db, { accountId });
    let crashes = 0;
    seams.afterSend = ({ id }) => {
      if (id === exp.id && crashes++ === 0) throw new Error('simulated crash between send and status write');
    };
    expect((await approve(exp.id, targetId)).status).toBe(202);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1)).toMatchObject({ status: 'exported', attempts: 1 });
    const sent = receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === exp.delivery_id);
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.verified)).toBe(true);
    expect(receiver.accepted.size).toBe(1);
  });

  it('poison messages end in the DLQ', async () => {
    const bodies = [
      '{not json',
      JSON.stringify({ type: 'ticket_export', export_id: 'exp_ffffffffffffffffffffffff' }),
    ];
    for (const body of bodies) {
      await sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.deliveriesUrl, MessageBody: body }));
    }
    const found = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (found.size < bodies.length && Date.now() < deadline) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queues.deliveriesDlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const m of res.Messages ?? []) found.add(m.Body ?? '');
    }
    expect([...found].sort()).toEqual([...bodies].sort());
  });
});

describe('scan_run.failed events', () => {
  it('are delivered, signed, to active subscribed targets of the account only', async () => {
    const acc = await createAccount(stack.db, { name: 'Events', plan: 'team' });
    const t = (await createToken(stack.db, { accountId: acc.id })).api_token;
    const subscribed = await receiverWithTarget({ t });
    const exportsOnly = await receiverWithTarget({ t, events: ['ticket_export'] });
    const disabled = await receiverWithTarget({ t });
    await api('DELETE', `/api/ticket-export-targets/${disabled.targetId}`, { token: t });
    const otherAccount = await receiverWithTarget({ t: otherToken });

    const project = await api('POST', '/api/projects', {
      token: t,
      idempotencyKey: `p-${++n}`,
      body: { name: 'Site', base_url: 'https://example.test' },
    });
    const run = await api('POST', `/api/projects/${project.body.id}/scan-runs`, {
      token: t,
      idempotencyKey: `r-${n}`,
    });
    const failed = await api('POST', '/api/scanner/results', {
      headers: { 'X-Scanner-Secret': TEST_SCANNER_SECRET },
      idempotencyKey: `failed-${run.body.scan_run_id}`,
      body: {
        scanRunId: run.body.scan_run_id,
        status: 'failed',
        error: { code: 'SCAN_TIMEOUT', message: 'The scan timed out.' },
      },
    });
    expect(failed.status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (subscribed.receiver.accepted.size === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const [request] = subscribed.receiver.requests;
    expect(request).toBeDefined();
    expect(request!.verified).toBe(true);
    expect(request!.headers['x-webriskops-event']).toBe('scan_run.failed');
    expect(phpSnippetAccepts(request!, subscribed.secret)).toBe(true);
    const payload = JSON.parse(request!.rawBody);
    expect(payload).toMatchObject({
      type: 'scan_run.failed',
      scan_run: { scan_run_id: run.body.scan_run_id, status: 'failed', error: { code: 'SCAN_TIMEOUT' } },
    });
    expect(payload.event_id).toBe(request!.headers['x-webriskops-delivery-id']);

    // A replayed stream record creates nothing new.
    const stored = await getScanRun(stack.db, run.body.scan_run_id, true);
    expect(await notifyScanRunFailed(stack.db, stored!)).toBe(0);
    expect(exportsOnly.receiver.requests).toHaveLength(0);
    expect(disabled.receiver.requests).toHaveLength(0);
    expect(otherAccount.receiver.requests).toHaveLength(0);
    expect(subscribed.receiver.requests).toHaveLength(1);
  });
});
