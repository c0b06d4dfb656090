import { spawnSync } from 'node:child_process';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeLease } from '../../../lib/db/deliveries-store.ts';
import { exportRef } from '../../../lib/db/ticket-exports-store.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { apiClient } from '../../support/api-client.ts';
import { SHORT_DELIVERY_SCHEDULE, startTestStack } from '../../support/local-stack.ts';
import { phpSnippetAccepts, pollExport, queueDrained } from './e2e-helpers.ts';
import { putPendingExport, putQueuedExport } from './fixtures.ts';

/**
 * End to end on the local stack (API server, stream → dispatcher, SQS → delivery worker) with a short
 * retry schedule, against the in-process reference receiver answering from a script.
 */
const HAS_PHP = spawnSync('php', ['--version'], { encoding: 'utf8' }).status === 0;
if (!HAS_PHP) {
  console.warn('php is not on the PATH: the documented PHP snippet test is skipped (CI installs php-cli).');
}

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;
let accountId: string;
let n = 0;
const receivers: ReferenceReceiver[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    workers: true,
    env: SHORT_DELIVERY_SCHEDULE,
  });
  api = apiClient(stack.apiUrl);
  // Enterprise: its rate limit leaves room for the tests' status polling.
  accountId = (await createAccount(stack.db, { name: 'Acme', plan: 'enterprise' })).id;
  token = (await createToken(stack.db, { accountId })).api_token;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
});

/** A receiver with its own target; returns both and the target's secret. */
async function receiverWithTarget(script: Parameters<ReferenceReceiver['setScript']>[0] = []) {
  const receiver = await startReferenceReceiver({ secrets: [], script, print: () => {} });
  receivers.push(receiver);
  const target = await api('POST', '/api/ticket-export-targets', {
    token,
    idempotencyKey: `target-${++n}`,
    body: {
      provider_key: 'generic_webhook',
      base_url: `${receiver.url}/webriskops`,
      deployment_mode: 'webhook-only',
      name: `Receiver ${n}`,
    },
  });
  expect(target.status).toBe(201);
  receiver.setSecrets([target.body.signing_secret]);
  return { receiver, targetId: target.body.id as string, secret: target.body.signing_secret as string };
}

async function approvedExport(targetId: string) {
  const exp = await putPendingExport(stack.db, { accountId });
  const res = await api('POST', `/api/ticket-exports/${exp.id}/approve`, {
    token,
    idempotencyKey: `approve-${exp.id}`,
    body: { target_id: targetId },
  });
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ id: exp.id, target_id: targetId, status: 'queued' });
  return exp;
}

const attemptsOf = async (exportId: string) =>
  (await api('GET', `/api/ticket-exports/${exportId}/attempts`, { token })).body;

describe('retries', () => {
  it('500, 500, then 200: retry_scheduled → exported, with the attempt log; every request verifies', async () => {
    const { receiver, targetId, secret } = await receiverWithTarget([{ status: 500 }, { status: 500 }]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    const statuses = seen.map((v) => v.status);
    expect(statuses.at(-1)).toBe('exported');
    expect(statuses).toContain('retry_scheduled');
    const scheduled = seen.find((v) => v.status === 'retry_scheduled');
    expect(scheduled.retry_after_seconds).toBeGreaterThanOrEqual(1);
    expect(scheduled.retry_after_seconds).toBeLessThanOrEqual(2);
    expect(Date.parse(scheduled.next_attempt_at)).toBeGreaterThan(Date.parse(scheduled.updated_at) - 1);
    expect(scheduled.last_error_class).toBe('http_server_error');
    // The documented polling line prints the backoff while a retry is scheduled.
    const line = scheduled.status === 'retry_scheduled' ? scheduled.retry_after_seconds : scheduled.status;
    expect(typeof line).toBe('number');
    const final = seen.at(-1);
    expect(final).toMatchObject({
      attempts: 3,
      last_status_code: 200,
      retry_after_seconds: null,
      next_attempt_at: null,
      failure_reason: null,
    });
    expect(final.exported_at).toBeTruthy();

    const log = await attemptsOf(exp.id);
    expect(log.items).toMatchObject([
      {
        attempt: 1,
        round: 1,
        outcome: 'retry_scheduled',
        status_code: 500,
        error_class: 'http_server_error',
      },
      {
        attempt: 2,
        round: 1,
        outcome: 'retry_scheduled',
        status_code: 500,
        error_class: 'http_server_error',
      },
      {
        attempt: 3,
        round: 1,
        outcome: 'delivered',
        status_code: 200,
        error_class: null,
        retry_after_seconds: null,
      },
    ]);
    for (const a of log.items) {
      expect(a.duration_ms).toBeGreaterThanOrEqual(0);
      expect(a.response_body).toBeTypeOf('string');
    }
    expect(JSON.stringify(log)).not.toContain(secret.slice(6));

    const requests = receiver.requests;
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['x-webriskops-delivery-id']))).toEqual(
      new Set([exp.delivery_id]),
    );
    expect(new Set(requests.map((r) => r.headers['x-webriskops-nonce'])).size).toBe(3);
    for (const r of requests) {
      expect(r.verified).toBe(true);
      expect(r.rawBody).toBe(exp.body);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['idempotency-key']).toBe(exp.delivery_id);
      expect(r.headers['x-webriskops-event']).toBe('ticket_export');
      expect(String(r.headers['x-webriskops-timestamp'])).toMatch(/^\d{10}$/);
      expect(String(r.headers['x-webriskops-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(phpSnippetAccepts(r, secret)).toBe(true);
      expect(phpSnippetAccepts({ ...r, rawBody: `${r.rawBody} ` }, secret)).toBe(false);
      // Standard Webhooks libraries verify the same request.
      const wh = new Webhook(secret);
      expect(() =>
        wh.verify(r.rawBody, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        }),
      ).not.toThrow();
    }
    expect(receiver.accepted.size).toBe(1);
  });

  // CI installs php (.ci/run); on a machine with only Node and Java this case is skipped, and says so.
  it.skipIf(!HAS_PHP)('the documented PHP snippet itself accepts a delivered signature', async () => {
    const { receiver, targetId, secret } = await receiverWithTarget();
    const exp = await approvedExport(targetId);
    await pollExport(api, token, exp.id);
    const r = receiver.requests[0]!;
    const program = [
      "$timestamp = getenv('TS'); $nonce = getenv('NONCE'); $receivedSignature = getenv('SIG');",
      "$body = file_get_contents('php://stdin');",
      "$expected = 'sha256='.hash_hmac('sha256', $timestamp.'.'.$nonce.'.'.$body, getenv('WEBRISKOPS_WEBHOOK_SECRET'));",
      "if (! hash_equals($expected, $receivedSignature)) {\nthrow new RuntimeException('Invalid example webhook signature.');\n}",
      "echo 'ok';",
    ].join('\n');
    const run = (body: string) =>
      spawnSync('php', ['-r', program], {
        input: body,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          TS: String(r.headers['x-webriskops-timestamp']),
          NONCE: String(r.headers['x-webriskops-nonce']),
          SIG: String(r.headers['x-webriskops-signature']),
          WEBRISKOPS_WEBHOOK_SECRET: secret,
        },
      });
    const ok = run(r.rawBody);
    expect(ok.error).toBeUndefined();
    expect(ok.stdout).toBe('ok');
    expect(run(r.rawBody.replace('Fix', 'Fox')).status).not.toBe(0);
  });

  it("honours the receiver's Retry-After as the delay (here 3 s, beyond the 2 s backoff cap)", async () => {
    const { targetId } = await receiverWithTarget([{ status: 429, headers: { 'Retry-After': '3' } }]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    const scheduled = seen.find((v) => v.status === 'retry_scheduled');
    expect(scheduled).toMatchObject({
      retry_after_seconds: 3,
      last_error_class: 'http_rate_limited',
      last_status_code: 429,
    });
    expect(Date.parse(scheduled.next_attempt_at) - Date.parse(scheduled.updated_at)).toBeGreaterThanOrEqual(
      2500,
    );
    expect(seen.at(-1).status).toBe('exported');
    const log = await attemptsOf(exp.id);
    expect(log.items[0]).toMatchObject({
      status_code: 429,
      retry_after_seconds: 3,
      outcome: 'retry_scheduled',
    });
  });

  it('a receiver that never answers times out and is retried', async () => {
    const { targetId } = await receiverWithTarget([{ kind: 'hang' }]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.find((v) => v.status === 'retry_scheduled')).toMatchObject({ last_error_class: 'timeout' });
    expect(seen.at(-1).status).toBe('exported');
    const log = await attemptsOf(exp.id);
    expect(log.items[0]).toMatchObject({
      outcome: 'retry_scheduled',
      error_class: 'timeout',
      status_code: null,
    });
  });

  it('a connection reset is retried', async () => {
    const { targetId } = await receiverWithTarget([{ kind: 'reset' }]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1).status).toBe('exported');
    const log = await attemptsOf(exp.id);
    expect(log.items[0]).toMatchObject({ error_class: 'connection_error', status_code: null });
  });

  it('attempts exhausted → failed', async () => {
    const { receiver, targetId } = await receiverWithTarget([
      { status: 503 },
      { status: 502 },
      { status: 500 },
      { status: 504 },
      { status: 200 },
    ]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1)).toMatchObject({
      status: 'failed',
      failure_reason: 'attempts_exhausted',
      attempts: 4,
      max_attempts: 4,
      last_status_code: 504,
    });
    expect(receiver.requests).toHaveLength(4);
  });
});

describe('permanent outcomes', () => {
  it('410 Gone disables the target and fails the export', async () => {
    const { targetId } = await receiverWithTarget([{ status: 410 }]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1)).toMatchObject({
      status: 'failed',
      failure_reason: 'receiver_gone',
      last_status_code: 410,
    });
    const target = await api('GET', `/api/ticket-export-targets/${targetId}`, { token });
    expect(target.body).toMatchObject({ status: 'disabled', disabled_reason: 'receiver_gone' });
    const next = await putPendingExport(stack.db, { accountId });
    const refused = await api('POST', `/api/ticket-exports/${next.id}/approve`, {
      token,
      idempotencyKey: `approve-${next.id}`,
      body: { target_id: targetId },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TARGET_NOT_ACTIVE');
  });

  it('400 → failed; POST …/retry queues it again (same delivery id, new round) → exported', async () => {
    const { receiver, targetId } = await receiverWithTarget([
      { status: 400, body: '{"error":"bad ticket"}' },
    ]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1)).toMatchObject({
      status: 'failed',
      failure_reason: 'receiver_rejected',
      last_error_class: 'http_client_error',
      attempts: 1,
    });
    const retried = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `retry-${exp.id}`,
    });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({
      status: 'queued',
      attempts: 0,
      failure_reason: null,
      target_id: targetId,
    });
    const after = await pollExport(api, token, exp.id);
    expect(after.at(-1)).toMatchObject({ status: 'exported', attempts: 1 });
    const log = await attemptsOf(exp.id);
    expect(log.items).toMatchObject([
      { round: 1, attempt: 1, outcome: 'failed', status_code: 400, response_body: '{"error":"bad ticket"}' },
      { round: 2, attempt: 1, outcome: 'delivered', status_code: 200 },
    ]);
    expect(new Set(receiver.requests.map((r) => r.headers['x-webriskops-delivery-id']))).toEqual(
      new Set([exp.delivery_id]),
    );
    const again = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `retry2-${exp.id}`,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EXPORT_NOT_RETRYABLE');
  });

  it('a redirect is never followed and fails the export', async () => {
    const { receiver, targetId } = await receiverWithTarget([
      { status: 302, headers: { Location: 'http://127.0.0.1:9/elsewhere' } },
    ]);
    const exp = await approvedExport(targetId);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1)).toMatchObject({
      status: 'failed',
      last_error_class: 'http_redirect',
      last_status_code: 302,
    });
    expect(receiver.requests).toHaveLength(1);
  });
});

describe('at most one send at a time', () => {
  it('the same SQS message sent twice more delivers once', async () => {
    const { receiver, targetId } = await receiverWithTarget([{ status: 200, delayMs: 400 }]);
    const exp = await approvedExport(targetId);
    const sqs = new SQSClient({
      endpoint: process.env.AWS_ENDPOINT_URL_SQS,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const body = JSON.stringify({ type: 'ticket_export', export_id: exp.id });
    await Promise.all([
      sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.deliveriesUrl, MessageBody: body })),
      sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.deliveriesUrl, MessageBody: body })),
    ]);
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1).status).toBe('exported');
    // Wait until the duplicates were received and deleted (the queue is empty), then count sends.
    await queueDrained(sqs, stack.queues.deliveriesUrl);
    expect(receiver.requests).toHaveLength(1);
    expect((await attemptsOf(exp.id)).items).toHaveLength(1);
    sqs.destroy();
  });

  it('an export left delivering by a lost message (a killed stack) is delivered once its lease expires', async () => {
    const { receiver, targetId } = await receiverWithTarget();
    const exp = await putQueuedExport(stack.db, { accountId, targetId });
    // The state a SIGKILL leaves: leased by a message the in-memory queue no longer has.
    const held = await takeLease(stack.db, exportRef(exp.id), {
      holder: 'lost-message',
      leaseId: 'lost',
      nowMs: Date.now(),
      leaseMs: 3_000,
    });
    expect(held.kind).toBe('leased');
    // What the next start's re-drive sends for it: one message, which waits out the lease.
    const sqs = new SQSClient({
      endpoint: process.env.AWS_ENDPOINT_URL_SQS,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.deliveriesUrl,
        MessageBody: JSON.stringify({ type: 'ticket_export', export_id: exp.id }),
      }),
    );
    const seen = await pollExport(api, token, exp.id);
    expect(seen.at(-1).status).toBe('exported');
    expect(receiver.requests).toHaveLength(1);
    sqs.destroy();
  });
});

describe('secret rotation through the API', () => {
  it('receivers on the old and on the new secret both end exported, every accepted request verifying (PHP snippet rule and Standard Webhooks)', async () => {
    const onOld = await receiverWithTarget();
    const onNew = await receiverWithTarget();
    const rotated: Record<string, string> = {};
    for (const r of [onOld, onNew]) {
      const res = await api('POST', `/api/ticket-export-targets/${r.targetId}/rotate-secret`, {
        token,
        idempotencyKey: `rotate-${r.targetId}`,
        body: { grace_period_seconds: 3600 },
      });
      expect(res.status).toBe(200);
      expect(Date.parse(res.body.secret_grace_until) - Date.now()).toBeGreaterThan(3500_000);
      rotated[r.targetId] = res.body.signing_secret;
    }
    onNew.receiver.setSecrets([rotated[onNew.targetId] as string]); // switched right away; onOld has not

    const fromOld = await approvedExport(onOld.targetId);
    const fromNew = await approvedExport(onNew.targetId);
    const [oldSeen, newSeen] = await Promise.all([
      pollExport(api, token, fromOld.id),
      pollExport(api, token, fromNew.id),
    ]);
    expect(oldSeen.at(-1)).toMatchObject({ status: 'exported', attempts: 1 });
    // At worst one retry, seconds later: the old-secret signature was refused, the new one accepted.
    expect(newSeen.at(-1)).toMatchObject({ status: 'exported', attempts: 2 });
    expect(onNew.receiver.requests.map((q) => q.answer)).toEqual([401, 200]);
    const gap = (onNew.receiver.requests[1]?.at ?? 0) - (onNew.receiver.requests[0]?.at ?? 0);
    expect(gap).toBeLessThan(10_000);

    for (const [r, secret] of [
      [onOld, onOld.secret],
      [onNew, rotated[onNew.targetId] as string],
    ] as const) {
      const accepted = r.receiver.requests.filter((q) => q.answer === 200);
      expect(accepted).toHaveLength(1);
      const q = accepted[0]!;
      expect(phpSnippetAccepts(q, secret)).toBe(true);
      for (const s of [r.secret, rotated[r.targetId] as string]) {
        expect(() =>
          new Webhook(s).verify(q.rawBody, {
            'webhook-id': String(q.headers['webhook-id']),
            'webhook-timestamp': String(q.headers['webhook-timestamp']),
            'webhook-signature': String(q.headers['webhook-signature']),
          }),
        ).not.toThrow();
      }
    }
  });
});

describe('a way forward after a receiver said 410 Gone', () => {
  it('the target is re-enabled and the export sent again with its original delivery id', async () => {
    const { receiver, targetId } = await receiverWithTarget([{ status: 410 }]);
    const exp = await approvedExport(targetId);
    expect((await pollExport(api, token, exp.id)).at(-1)).toMatchObject({
      status: 'failed',
      failure_reason: 'receiver_gone',
    });
    const enabled = await api('POST', `/api/ticket-export-targets/${targetId}/enable`, {
      token,
      idempotencyKey: `enable-${targetId}`,
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ status: 'active', disabled_reason: null });
    const retried = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `retry-${exp.id}`,
    });
    expect(retried.status).toBe(202);
    expect((await pollExport(api, token, exp.id)).at(-1)).toMatchObject({ status: 'exported' });
    const ids = receiver.requests.map((r) => r.headers['x-webriskops-delivery-id']);
    expect(ids).toEqual([exp.delivery_id, exp.delivery_id]);
    expect(receiver.requests.map((r) => r.answer)).toEqual([410, 200]);
  });
});

describe('retry to another target', () => {
  it('a failed export is sent to another target with its delivery id; an unusable target is refused', async () => {
    const first = await receiverWithTarget([{ status: 400 }]);
    const second = await receiverWithTarget();
    const exp = await approvedExport(first.targetId);
    expect((await pollExport(api, token, exp.id)).at(-1)).toMatchObject({ status: 'failed' });

    const disabled = await receiverWithTarget();
    await api('DELETE', `/api/ticket-export-targets/${disabled.targetId}`, { token });
    const refused = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `retry-disabled-${exp.id}`,
      body: { target_id: disabled.targetId },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TARGET_NOT_ACTIVE');

    const moved = await api('POST', `/api/ticket-exports/${exp.id}/retry`, {
      token,
      idempotencyKey: `retry-moved-${exp.id}`,
      body: { target_id: second.targetId },
    });
    expect(moved.status).toBe(202);
    expect(moved.body).toMatchObject({
      target_id: second.targetId,
      status: 'queued',
      delivery_id: exp.delivery_id,
    });
    expect((await pollExport(api, token, exp.id)).at(-1)).toMatchObject({
      status: 'exported',
      target_id: second.targetId,
    });
    expect(first.receiver.requests.map((r) => r.headers['x-webriskops-delivery-id'])).toEqual([
      exp.delivery_id,
    ]);
    expect(second.receiver.requests.map((r) => r.headers['x-webriskops-delivery-id'])).toEqual([
      exp.delivery_id,
    ]);
    expect(second.receiver.requests[0]?.verified).toBe(true);
  });
});

describe('operational events', () => {
  it('a 410 Gone sends target.disabled and export.failed, signed, to the account’s other subscribed target', async () => {
    // An account of its own, so no other test's failures reach its operations target.
    const ownAccount = (await createAccount(stack.db, { name: 'Ops', plan: 'enterprise' })).id;
    const ownToken = (await createToken(stack.db, { accountId: ownAccount })).api_token;
    const createTargetFor = async (receiver: ReferenceReceiver, name: string, events: string[]) => {
      const res = await api('POST', '/api/ticket-export-targets', {
        token: ownToken,
        idempotencyKey: `ops-target-${++n}`,
        body: {
          provider_key: 'generic_webhook',
          base_url: `${receiver.url}/hooks`,
          deployment_mode: 'webhook-only',
          name,
          events,
        },
      });
      expect(res.status).toBe(201);
      receiver.setSecrets([res.body.signing_secret]);
      return { id: res.body.id as string, secret: res.body.signing_secret as string };
    };
    const gone = await startReferenceReceiver({ secrets: [], script: [{ status: 410 }], print: () => {} });
    const ops = await startReferenceReceiver({ secrets: [], print: () => {} });
    receivers.push(gone, ops);
    const tracker = await createTargetFor(gone, 'Tracker', ['ticket_export']);
    const operations = await createTargetFor(ops, 'Operations', ['target.disabled', 'export.failed']);

    const exp = await putPendingExport(stack.db, { accountId: ownAccount });
    const approved = await api('POST', `/api/ticket-exports/${exp.id}/approve`, {
      token: ownToken,
      idempotencyKey: `approve-${exp.id}`,
      body: { target_id: tracker.id },
    });
    expect(approved.status).toBe(202);
    await pollExport(api, ownToken, exp.id);

    const deadline = Date.now() + 20_000;
    while (ops.accepted.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const events = [...ops.accepted.values()] as { type: string }[];
    expect(events.map((e) => e.type).sort()).toEqual(['export.failed', 'target.disabled']);
    expect(events.find((e) => e.type === 'target.disabled')).toMatchObject({
      target: { id: tracker.id, name: 'Tracker', disabled_reason: 'receiver_gone' },
    });
    expect(events.find((e) => e.type === 'export.failed')).toMatchObject({
      export: { id: exp.id, target_id: tracker.id, failure_reason: 'receiver_gone', last_status_code: 410 },
    });
    // Signed like every delivery: the reference receiver verified them, and so do Standard Webhooks.
    const requests = ops.requests.filter((r) => r.answer === 200);
    expect(requests.every((r) => r.verified)).toBe(true);
    const wh = new Webhook(operations.secret);
    for (const r of requests) {
      expect(() => wh.verify(r.rawBody, r.headers as Record<string, string>)).not.toThrow();
      expect(r.headers['x-webriskops-event']).toBe((JSON.parse(r.rawBody) as { type: string }).type);
    }
    // The disabled target itself is never told.
    expect(gone.requests).toHaveLength(1);
  });
});
