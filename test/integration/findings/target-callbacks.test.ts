import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import type { Db } from '../../../lib/db/client.ts';
import { keys } from '../../../lib/db/keys.ts';
import type { HttpEvent, HttpResponse } from '../../../lib/http/context.ts';
import { findRoute } from '../../../lib/http/routes.ts';
import { createRuntime } from '../../../lib/runtime.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { issue } from '../../support/scanner-fixtures.ts';
import { accountWithProject, scannerPostback } from '../../support/scenario.ts';

/**
 * Ticket system callbacks end to end on the local stack (docs/ticket-exports.md, "Ticket system
 * callbacks"): a ticket system signs `POST /api/ticket-export-targets/{targetId}/callbacks` with the
 * target's signing secret (Standard Webhooks, here with the third-party `standardwebhooks` package), and
 * the finding's triage follows; a replayed webhook-id writes nothing; every signature failure is the same
 * 401; other accounts' projects are 404; rotation keeps the previous secret for its grace window; the
 * documented cURL runs as written; no log line holds a secret, a signature or a header value.
 */

// Request logs on (the suite runs with errors only), so the log check below sees every line.
vi.hoisted(() => {
  process.env.WRO_LOG_LEVEL = 'INFO';
});
const logLines: string[] = [];
const stdoutWrite = process.stdout.write.bind(process.stdout);
vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.startsWith('{"level":')) {
    logLines.push(text);
    return true;
  }
  return stdoutWrite(chunk, ...rest);
}) as typeof process.stdout.write);

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let acct: Awaited<ReturnType<typeof accountWithProject>>;
let other: Awaited<ReturnType<typeof accountWithProject>>;
let target: { id: string; secret: string };
let otherTarget: { id: string; secret: string };
/** Every secret, signature and webhook-id this file sent: none may appear in a log line. */
const sentSecrets = new Set<string>();

const P1 = 'https://example.test/p1';
const [A, B, C, D, E, F] = [
  'fp-callback-A1',
  'fp-callback-B2',
  'fp-callback-C3',
  'fp-callback-D4',
  'fp-callback-E5',
  'fp-callback-F6',
];

async function newTarget(token: string, name: string) {
  const res = await api('POST', '/api/ticket-export-targets', {
    token,
    idempotencyKey: `target-${randomUUID()}`,
    body: {
      provider_key: 'generic_webhook',
      base_url: 'https://hooks.example.test/webriskops',
      deployment_mode: 'webhook-only',
      name,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  sentSecrets.add(res.body.signing_secret);
  sentSecrets.add(res.body.signing_secret.slice('whsec_'.length));
  return { id: res.body.id as string, secret: res.body.signing_secret as string };
}

beforeAll(async () => {
  stack = await startTestStack({ workers: true });
  api = apiClient(stack.apiUrl);
  acct = await accountWithProject(stack.db, api, { credits: 5 });
  other = await accountWithProject(stack.db, api, { credits: 5 });
  // One completed run with six findings, applied by the dispatcher.
  const id = await acct.newScanRun();
  const res = await scannerPostback(api)(
    {
      scanRunId: id,
      status: 'completed',
      page: { url: P1, normalizedUrl: P1, statusCode: 200, pageType: 'article', responseHeaders: {} },
      artifacts: { screenshotPath: 'artifacts/x.png' },
      issues: [A, B, C, D, E, F].map((fp, i) => issue(i, { fingerprint: fp, title: `Finding ${fp}` })),
    },
    `run-${id}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 300; i++) {
    const run = await api('GET', `/api/scan-runs/${id}`, { token: acct.token });
    if (run.body.findings_status === 'applied') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  target = await newTarget(acct.token, 'Jira bridge');
  otherTarget = await newTarget(other.token, 'Other tracker');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  vi.restoreAllMocks();
});

interface Signed {
  id?: string;
  timestamp?: number;
  signature?: string;
  /** Leave these headers out. */
  without?: string[];
}

/** The headers a ticket system sends: signed by the standardwebhooks package unless told otherwise. */
function signedHeaders(secret: string, raw: string, s: Signed = {}): Record<string, string> {
  const id = s.id ?? `msg_${randomUUID()}`;
  const timestamp = s.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = s.signature ?? new Webhook(secret).sign(id, new Date(timestamp * 1000), raw);
  sentSecrets.add(id);
  sentSecrets.add(signature);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
  for (const h of s.without ?? []) delete headers[h];
  return headers;
}

function callback(targetId: string, secret: string, body: unknown, s: Signed = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return api('POST', `/api/ticket-export-targets/${targetId}/callbacks`, {
    rawBody: raw,
    headers: signedHeaders(secret, raw, s),
  });
}

const body = (fingerprint: string, over: Record<string, unknown> = {}) => ({
  type: 'ticket.closed',
  project_id: acct.projectId,
  fingerprint,
  ...over,
});

async function finding(fp: string) {
  const res = await api('GET', `/api/projects/${acct.projectId}/findings?limit=100`, { token: acct.token });
  expect(res.status).toBe(200);
  return res.body.items.find((f: any) => f.fingerprint === fp);
}

describe('ticket system callbacks', () => {
  it('risk.accepted dismisses the finding as accepted_risk, by the target, and GET findings shows it', async () => {
    const res = await callback(
      target.id,
      target.secret,
      body(A, {
        type: 'risk.accepted',
        comment: 'Accepted in SEC-12',
        ticket: { id: 'SEC-12', url: 'https://tracker.example.com/browse/SEC-12' },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ fingerprint: A, state: 'open' });
    expect(res.body.triage).toEqual({
      status: 'dismissed',
      reason: 'accepted_risk',
      comment: 'Accepted in SEC-12',
      dismissed_at: expect.any(String),
      by: `target:${target.id}`,
      ticket: { id: 'SEC-12', url: 'https://tracker.example.com/browse/SEC-12' },
    });
    expect(JSON.stringify(res.body)).not.toContain(target.secret.slice('whsec_'.length));
    expect((await finding(A)).triage).toEqual(res.body.triage);
    const dismissed = await api('GET', `/api/projects/${acct.projectId}/findings?triage=dismissed`, {
      token: acct.token,
    });
    expect(dismissed.body.items.map((f: any) => f.fingerprint)).toContain(A);
  });

  it('ticket.closed as wont_fix or false_positive dismisses with that reason', async () => {
    const wontFix = await callback(target.id, target.secret, body(B, { resolution: 'wont_fix' }));
    expect(wontFix.status).toBe(200);
    expect(wontFix.body.triage).toMatchObject({ reason: 'wont_fix', comment: null, ticket: null });
    const falsePositive = await callback(target.id, target.secret, body(C, { resolution: 'false_positive' }));
    expect(falsePositive.body.triage).toMatchObject({ reason: 'false_positive', by: `target:${target.id}` });
  });

  it('ticket.closed as fixed (or without a resolution) changes nothing: a rescan proves the fix', async () => {
    const before = await finding(D);
    const fixed = await callback(target.id, target.secret, body(D, { resolution: 'fixed' }));
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual(before);
    const plain = await callback(target.id, target.secret, body(D));
    expect(plain.body).toEqual(before);
    expect(await finding(D)).toEqual(before);
    expect(before).toMatchObject({ state: 'open', triage: null });
  });

  it('a dismissal the user made is replaced by a later callback with another reason, like PUT again', async () => {
    const put = await api('PUT', `/api/projects/${acct.projectId}/findings/${E}/triage`, {
      token: acct.token,
      body: { status: 'dismissed', reason: 'false_positive' },
    });
    expect(put.body.triage.by).toMatch(/^token:tok_[0-9a-f]{24}$/);
    const res = await callback(target.id, target.secret, body(E, { type: 'risk.accepted' }));
    expect(res.body.triage).toMatchObject({ reason: 'accepted_risk', by: `target:${target.id}` });
  });
});

describe('replays: one webhook-id of one target is applied once', () => {
  /** The callback function itself, on a table client that counts the findings' triage writes. */
  function countingHandler() {
    let triageWrites = 0;
    const send = ((command: { constructor: { name: string }; input: { Key?: { sk?: unknown } } }) => {
      if (
        command.constructor.name === 'UpdateCommand' &&
        String(command.input.Key?.sk).startsWith('FINDING#')
      )
        triageWrites++;
      return stack.db.doc.send(command as never);
    }) as Db['doc']['send'];
    const rt = {
      ...createRuntime(parseConfig(process.env)),
      db: { table: stack.db.table, doc: { send } as Db['doc'] },
    };
    return { rt, writes: () => triageWrites };
  }

  async function invoke(
    rt: ReturnType<typeof countingHandler>['rt'],
    raw: string,
    headers: Record<string, string>,
  ) {
    const route = findRoute('targets.callback');
    const path = `/api/ticket-export-targets/${target.id}/callbacks`;
    const mod = (await import('../../../functions/targets-callback.ts')) as {
      handler: { with(rt: unknown): (e: HttpEvent, c: Context) => Promise<HttpResponse> };
    };
    const event = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: path,
      rawQueryString: '',
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      pathParameters: { targetId: target.id },
      requestContext: { requestId: randomUUID(), http: { method: 'POST', path } },
      body: raw,
      isBase64Encoded: false,
    } as unknown as HttpEvent;
    const res = await mod.handler.with(rt)(event, { awsRequestId: 'replay-test' } as Context);
    return { status: res.statusCode, body: JSON.parse(String(res.body)), headers: res.headers ?? {} };
  }

  it('a replay (re-signed, as Standard Webhooks retries) writes nothing and answers the same', async () => {
    const { rt, writes } = countingHandler();
    const raw = JSON.stringify(body(F, { resolution: 'wont_fix', comment: 'Legacy host' }));
    const id = `msg_${randomUUID()}`;
    const first = await invoke(rt, raw, signedHeaders(target.secret, raw, { id }));
    expect(first.status).toBe(200);
    expect(writes()).toBe(1);
    const replay = await invoke(
      rt,
      raw,
      signedHeaders(target.secret, raw, { id, timestamp: Math.floor(Date.now() / 1000) - 60 }),
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect(writes()).toBe(1);
    // One record for the target and webhook-id, kept longer than a signature's timestamp is accepted.
    const record = await stack.db.doc.send(
      new GetCommand({
        TableName: stack.db.table,
        Key: keys.idempotency(`target:${target.id}`, 'targets.callback', id),
      }),
    );
    expect(record.Item?.status).toBe('completed');
    expect(record.Item?.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(600);
  });

  it('a replay over HTTP after the user took the dismissal back leaves it taken back', async () => {
    const raw = JSON.stringify(body(B, { resolution: 'false_positive' }));
    const id = `msg_${randomUUID()}`;
    const first = await api('POST', `/api/ticket-export-targets/${target.id}/callbacks`, {
      rawBody: raw,
      headers: signedHeaders(target.secret, raw, { id }),
    });
    expect(first.body.triage.reason).toBe('false_positive');
    const undo = await api('DELETE', `/api/projects/${acct.projectId}/findings/${B}/triage`, {
      token: acct.token,
    });
    expect(undo.body.triage).toBeNull();
    const replay = await api('POST', `/api/ticket-export-targets/${target.id}/callbacks`, {
      rawBody: raw,
      headers: signedHeaders(target.secret, raw, { id }),
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body); // the first answer, not a second dismissal
    expect((await finding(B)).triage).toBeNull();
    // The same webhook-id with another body is another request: refused, nothing applied.
    const reused = await callback(target.id, target.secret, body(B, { type: 'risk.accepted' }), { id });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await finding(B)).triage).toBeNull();
  });
});

describe('authentication: every failure is the same 401 SIGNATURE_INVALID, and changes nothing', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<{ status: number; body: any }>][] = [
    [
      'no webhook-signature',
      () =>
        callback(target.id, target.secret, body(D, { type: 'risk.accepted' }), {
          without: ['webhook-signature'],
        }),
    ],
    [
      'no webhook-id',
      () =>
        callback(target.id, target.secret, body(D, { type: 'risk.accepted' }), { without: ['webhook-id'] }),
    ],
    [
      'no webhook-timestamp',
      () =>
        callback(target.id, target.secret, body(D, { type: 'risk.accepted' }), {
          without: ['webhook-timestamp'],
        }),
    ],
    [
      'a timestamp 6 minutes old',
      () =>
        callback(target.id, target.secret, body(D, { type: 'risk.accepted' }), { timestamp: now() - 360 }),
    ],
    [
      'a timestamp 6 minutes ahead',
      () =>
        callback(target.id, target.secret, body(D, { type: 'risk.accepted' }), { timestamp: now() + 360 }),
    ],
    ['a wrong secret', () => callback(target.id, otherTarget.secret, body(D, { type: 'risk.accepted' }))],
    [
      'a tampered body',
      () => {
        const raw = JSON.stringify(body(D, { type: 'risk.accepted' }));
        return api('POST', `/api/ticket-export-targets/${target.id}/callbacks`, {
          rawBody: raw.replace('risk.accepted', 'ticket.closed'),
          headers: signedHeaders(target.secret, raw),
        });
      },
    ],
    [
      'an unknown target id',
      () => callback('tgt_0123456789abcdef01234567', target.secret, body(D, { type: 'risk.accepted' })),
    ],
    ['a malformed target id', () => callback('tgt_x', target.secret, body(D, { type: 'risk.accepted' }))],
    [
      "another account's target, signed with this target's secret",
      () => callback(otherTarget.id, target.secret, body(D, { type: 'risk.accepted' })),
    ],
    [
      'a bad signature on a bad body (401 before 422)',
      () => callback(target.id, otherTarget.secret, { type: 'nonsense' }),
    ],
  ];

  it.each(cases)('%s', async (_, send) => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({
      code: 'SIGNATURE_INVALID',
      message: 'The request signature is not valid.',
      request_id: expect.any(String),
    });
    expect((await finding(D)).triage).toBeNull();
  });
});

describe('after the signature verified', () => {
  it('a bad body is 422 naming the field', async () => {
    const res = await callback(
      target.id,
      target.secret,
      body(D, { type: 'risk.accepted', resolution: 'fixed' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'resolution', message: expect.any(String) }]);
    const url = await callback(
      target.id,
      target.secret,
      body(D, { ticket: { id: 'S-1', url: 'https://u:p@t.example/1' } }),
    );
    expect(url.body.error.details.map((d: any) => d.field)).toEqual(['ticket.url']);
  });

  it("another account's project, or a finding the project does not have, is 404", async () => {
    const foreign = await callback(target.id, target.secret, {
      type: 'risk.accepted',
      project_id: other.projectId,
      fingerprint: A,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    // The other account's own target cannot reach this account's project either.
    const cross = await callback(otherTarget.id, otherTarget.secret, body(D, { type: 'risk.accepted' }));
    expect(cross.status).toBe(404);
    const missing = await callback(
      target.id,
      target.secret,
      body('fp-no-such-finding', { type: 'risk.accepted' }),
    );
    expect(missing.status).toBe(404);
    expect((await finding(D)).triage).toBeNull();
  });

  it('a disabled target is 409 TARGET_NOT_ACTIVE', async () => {
    const t = await newTarget(acct.token, 'Disabled');
    expect((await api('DELETE', `/api/ticket-export-targets/${t.id}`, { token: acct.token })).status).toBe(
      200,
    );
    const res = await callback(t.id, t.secret, body(D, { type: 'risk.accepted' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TARGET_NOT_ACTIVE');
    expect((await finding(D)).triage).toBeNull();
  });
});

describe('rotation', () => {
  it('the previous secret verifies during the grace window; after a rotation without one it does not', async () => {
    const t = await newTarget(acct.token, 'Rotating');
    const rotate = async (grace?: number) => {
      const res = await api('POST', `/api/ticket-export-targets/${t.id}/rotate-secret`, {
        token: acct.token,
        idempotencyKey: `rotate-${randomUUID()}`,
        ...(grace === undefined ? {} : { body: { grace_period_seconds: grace } }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      sentSecrets.add(res.body.signing_secret);
      return res.body.signing_secret as string;
    };
    const second = await rotate();
    expect((await callback(t.id, t.secret, body(D))).status).toBe(200); // the previous one, in its window
    expect((await callback(t.id, second, body(D))).status).toBe(200);
    const third = await rotate(0);
    expect((await callback(t.id, second, body(D))).status).toBe(401);
    expect((await callback(t.id, t.secret, body(D))).status).toBe(401);
    expect((await callback(t.id, third, body(D))).status).toBe(200);
  });
});

describe('the documented cURL', () => {
  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)('runs as written (docs/ticket-exports.md, "Ticket system callbacks")', async () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/ticket-exports.md'), 'utf8');
    const block = /<!-- callback-curl -->\s*```bash\n([\s\S]*?)```\s*<!-- \/callback-curl -->/.exec(doc)?.[1];
    expect(block).toBeDefined();
    // Asynchronously: the local stack answers from this very process.
    const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block as string], {
      env: {
        PATH: process.env.PATH,
        API: stack.apiUrl,
        TARGET_ID: target.id,
        WEBRISKOPS_WEBHOOK_SECRET: target.secret,
        PROJECT_ID: acct.projectId,
        FINGERPRINT: D,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const answer = JSON.parse(out);
    expect(answer).toMatchObject({
      fingerprint: D,
      triage: {
        status: 'dismissed',
        reason: 'wont_fix',
        by: `target:${target.id}`,
        ticket: { id: 'SEC-12' },
      },
    });
  });
});

describe('logs', () => {
  it('hold no secret, signature or webhook-id, and name the target by id only', () => {
    const callbackLines = logLines.filter((l) => l.includes('"route":"targets.callback"'));
    expect(callbackLines.length).toBeGreaterThan(10);
    expect(callbackLines.some((l) => l.includes(`"principal":"target:${target.id}"`))).toBe(true);
    const leaks = [...sentSecrets].filter((s) => logLines.some((l) => l.includes(s)));
    expect(leaks).toEqual([]);
  });
});
