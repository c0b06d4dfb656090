import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { eventDeliveryId, notifyEvent } from '../../../lib/domain/event-deliveries.ts';
import { apiClient } from '../../support/api-client.ts';
import { switchableHooks } from '../../support/hooks.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { putPendingExport } from './fixtures.ts';

/** Targets API with the development switch OFF (as on AWS): private and loopback URLs are refused. */
const { set: seams, hooks } = switchableHooks();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;
let otherToken: string;
let accountId: string;
let n = 0;

const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'dual.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'internal.example.com': ['10.0.0.5'],
  'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
  'rebind.example.com': ['169.254.169.254'],
};

beforeAll(async () => {
  seams.resolve = async (host) => {
    const found = DNS[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  stack = await startTestStack({ hooks, workers: false, allowPrivateTargets: false });
  api = apiClient(stack.apiUrl);
  const account = await createAccount(stack.db, { name: 'Acme', plan: 'team' });
  accountId = account.id;
  token = (await createToken(stack.db, { accountId })).api_token;
  const other = await createAccount(stack.db, { name: 'Other', plan: 'team' });
  otherToken = (await createToken(stack.db, { accountId: other.id })).api_token;
});
afterAll(async () => {
  seams.resolve = undefined;
  await stack?.stop();
});

const targetBody = (over: Record<string, unknown> = {}) => ({
  provider_key: 'generic_webhook',
  base_url: 'https://hooks.example.com/webriskops',
  deployment_mode: 'webhook-only',
  name: 'Example webhook target',
  ...over,
});
const create = (over: Record<string, unknown> = {}, t = token) =>
  api('POST', '/api/ticket-export-targets', { token: t, idempotencyKey: `t-${++n}`, body: targetBody(over) });

describe('creating targets', () => {
  it('creates an active generic_webhook target and returns its whsec_ secret once', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'active',
      provider_key: 'generic_webhook',
      base_url: 'https://hooks.example.com/webriskops',
      deployment_mode: 'webhook-only',
      name: 'Example webhook target',
      events: ['ticket_export', 'scan_run.failed'],
      secret_version: 1,
      disabled_at: null,
    });
    expect(res.body.id).toMatch(/^tgt_[0-9a-f]{24}$/);
    expect(res.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(res.body.signing_secret)).not.toThrow();

    const got = await api('GET', `/api/ticket-export-targets/${res.body.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('signing_secret');
    const { signing_secret: _s, ...view } = res.body;
    expect(got.body).toEqual(view);

    const list = await api('GET', '/api/ticket-export-targets', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(res.body.id);
    const secretPart = res.body.signing_secret.slice('whsec_'.length);
    expect(JSON.stringify(list.body)).not.toContain(secretPart);
    expect(JSON.stringify(got.body)).not.toContain(secretPart);
  });

  it('stores the secret encrypted, never in clear', async () => {
    const res = await create();
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const item = (
      await stack.db.doc.send(
        new GetCommand({ TableName: stack.db.table, Key: { pk: `TARGET#${res.body.id}`, sk: 'TARGET' } }),
      )
    ).Item!;
    expect(JSON.stringify(item)).not.toContain(res.body.signing_secret.slice(6));
    expect(item.secret_sealed).toMatch(/^v1\./);
  });

  it('takes an events subscription; unknown events are refused', async () => {
    const res = await create({ events: ['scan_run.failed'] });
    expect(res.body.events).toEqual(['scan_run.failed']);
    const bad = await create({ events: ['everything'] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('events.0');
  });

  it('accepts a name whose every address is public (IPv4 and IPv6)', async () => {
    expect((await create({ base_url: 'https://dual.example.com/hook' })).status).toBe(201);
    expect((await create({ base_url: 'https://93.184.215.14:8443/hook?x=1' })).status).toBe(201);
  });

  it.each([
    ['http://hooks.example.com/webriskops', 'not https'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://2130706433/hook', 'decimal loopback'],
    ['https://0x7f.1/hook', 'hex short form'],
    ['https://localhost/hook', 'localhost'],
    ['https://api.localhost/hook', 'localhost subdomain'],
    ['https://10.0.0.1/hook', 'private'],
    ['https://192.168.1.10/hook', 'private'],
    ['https://100.64.0.1/hook', 'CGNAT'],
    ['https://169.254.169.254/latest/meta-data', 'link-local metadata'],
    ['https://[::1]/hook', 'IPv6 loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped loopback'],
    ['https://[fd00::1]/hook', 'ULA'],
    ['https://[fe80::1]/hook', 'IPv6 link-local'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://user:pass@hooks.example.com/hook', 'userinfo'],
    ['https://internal.example.com/hook', 'name resolving to a private address'],
    ['https://mixed.example.com/hook', 'one private answer among public ones'],
    ['https://rebind.example.com/hook', 'name resolving to metadata'],
    ['https://unknown.example.com/hook', 'name that does not resolve (production refuses)'],
    ['https://hooks.example.com./hook', 'trailing dot'],
  ])('%s is refused with 422 TARGET_URL_UNSAFE (%s)', async (url) => {
    const res = await create({ base_url: url });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('TARGET_URL_UNSAFE');
    expect(res.body.error.details[0].field).toBe('base_url');
  });

  it('validates provider_key, deployment_mode and name, naming each field', async () => {
    const res = await create({ provider_key: 'jira', deployment_mode: 'on-prem', name: '' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'deployment_mode',
      'name',
      'provider_key',
    ]);
  });

  it('refuses a deployment mode or provider the plan does not allow (403 FORBIDDEN)', async () => {
    const res = await create({ deployment_mode: 'self-hosted' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(res.body.error.message).toContain('self-hosted');
    const free = await createAccount(stack.db, { name: 'Free', plan: 'free' });
    const freeToken = (await createToken(stack.db, { accountId: free.id })).api_token;
    expect((await create({}, freeToken)).status).toBe(403);
    const ent = await createAccount(stack.db, { name: 'Ent', plan: 'enterprise' });
    const entToken = (await createToken(stack.db, { accountId: ent.id })).api_token;
    expect((await create({ deployment_mode: 'self-hosted' }, entToken)).status).toBe(201);
  });

  it('replays the same answer for the same Idempotency-Key (one target)', async () => {
    const body = targetBody({ name: 'Replay' });
    const first = await api('POST', '/api/ticket-export-targets', {
      token,
      idempotencyKey: 'same-key',
      body,
    });
    const second = await api('POST', '/api/ticket-export-targets', {
      token,
      idempotencyKey: 'same-key',
      body,
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
  });

  it('needs the targets:write scope', async () => {
    const readOnly = (await createToken(stack.db, { accountId, scopes: ['targets:read'] })).api_token;
    expect((await create({}, readOnly)).status).toBe(403);
  });
});

describe('rotating and disabling', () => {
  it('rotates the secret (new secret, version + 1, shown once)', async () => {
    const created = await create();
    const rotated = await api('POST', `/api/ticket-export-targets/${created.body.id}/rotate-secret`, {
      token,
      idempotencyKey: `r-${++n}`,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).toMatch(/^whsec_/);
    expect(rotated.body.signing_secret).not.toBe(created.body.signing_secret);
    expect(rotated.body.secret_version).toBe(2);
    expect(rotated.body.secret_rotated_at).toBeTruthy();
    const got = await api('GET', `/api/ticket-export-targets/${created.body.id}`, { token });
    expect(got.body).not.toHaveProperty('signing_secret');
    expect(got.body.secret_version).toBe(2);
  });

  it('DELETE disables the target (200, idempotent); a disabled target cannot be rotated', async () => {
    const created = await create();
    const path = `/api/ticket-export-targets/${created.body.id}`;
    const del = await api('DELETE', path, { token });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({
      id: created.body.id,
      status: 'disabled',
      disabled_reason: 'disabled_by_user',
    });
    const again = await api('DELETE', path, { token });
    expect(again.status).toBe(200);
    expect(again.body.disabled_at).toBe(del.body.disabled_at);
    expect((await api('GET', path, { token })).body.status).toBe('disabled');
    const rotate = await api('POST', `${path}/rotate-secret`, { token, idempotencyKey: `r-${++n}` });
    expect(rotate.status).toBe(409);
    expect(rotate.body.error.code).toBe('TARGET_NOT_ACTIVE');
  });

  it("another account's target is 404 for read, rotate and delete; it is not listed", async () => {
    const created = await create();
    const path = `/api/ticket-export-targets/${created.body.id}`;
    expect((await api('GET', path, { token: otherToken })).status).toBe(404);
    expect((await api('DELETE', path, { token: otherToken })).status).toBe(404);
    const rot = await api('POST', `${path}/rotate-secret`, { token: otherToken, idempotencyKey: `r-${++n}` });
    expect(rot.status).toBe(404);
    expect((await api('GET', path, { token })).body.status).toBe('active');
    const list = await api('GET', '/api/ticket-export-targets', { token: otherToken });
    expect(list.body.items.map((t: { id: string }) => t.id)).not.toContain(created.body.id);
    expect((await api('GET', '/api/ticket-export-targets/tgt_nope', { token })).status).toBe(404);
  });

  it('paginates the list with a cursor', async () => {
    const acc = await createAccount(stack.db, { name: 'Many', plan: 'team' });
    const t = (await createToken(stack.db, { accountId: acc.id })).api_token;
    for (let i = 0; i < 3; i++) await create({ name: `T${i}` }, t);
    const p1 = await api('GET', '/api/ticket-export-targets?limit=2', { token: t });
    expect(p1.body.items).toHaveLength(2);
    const p2 = await api('GET', `/api/ticket-export-targets?limit=2&cursor=${p1.body.next_cursor}`, {
      token: t,
    });
    expect(p2.body.items.map((x: { name: string }) => x.name)).toContain('T2');
    const bad = await api('GET', '/api/ticket-export-targets?cursor=zzz', { token: t });
    expect(bad.status).toBe(422);
  });

  it('refuses hand-made cursors with 422 naming the cursor, never a 500', async () => {
    const acc = await createAccount(stack.db, { name: 'Cursors', plan: 'team' });
    const t = (await createToken(stack.db, { accountId: acc.id })).api_token;
    await create({ name: 'Only' }, t);
    const partition = `ACCOUNT#${acc.id}#TARGETS`;
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const forged = [
      { gsi1pk: partition },
      { gsi1pk: partition, gsi1sk: 'x' },
      { gsi1pk: partition, gsi1sk: 1, pk: 'TARGET#x', sk: 'TARGET' },
      { gsi1pk: partition, gsi1sk: 'x', pk: 'TARGET#x', sk: 'TARGET', extra: 'y' },
      { gsi1pk: partition, gsi1sk: '', pk: 'TARGET#x', sk: 'TARGET' },
      { gsi1pk: `ACCOUNT#other#TARGETS`, gsi1sk: 'x', pk: 'TARGET#x', sk: 'TARGET' },
      [partition],
    ];
    for (const key of forged) {
      const res = await api('GET', `/api/ticket-export-targets?cursor=${cursor(key)}`, { token: t });
      expect(res.status, JSON.stringify(key)).toBe(422);
      expect(res.body.error.details, JSON.stringify(key)).toEqual([
        { field: 'cursor', message: 'is not a valid cursor' },
      ]);
    }
  });
});

describe('changing and re-enabling targets', () => {
  it('PATCH changes name, events and URL (checked again); a refused change writes nothing', async () => {
    const created = await create();
    const path = `/api/ticket-export-targets/${created.body.id}`;
    const patched = await api('PATCH', path, {
      token,
      body: {
        name: '  Renamed  ',
        events: ['ticket_export', 'ticket_export'],
        base_url: 'https://dual.example.com/hook',
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: created.body.id,
      name: 'Renamed',
      events: ['ticket_export'],
      base_url: 'https://dual.example.com/hook',
      secret_version: 1,
      status: 'active',
    });
    expect(patched.body).not.toHaveProperty('signing_secret');
    const unsafe = await api('PATCH', path, {
      token,
      body: { base_url: 'https://internal.example.com/hook' },
    });
    expect(unsafe.status).toBe(422);
    expect(unsafe.body.error.code).toBe('TARGET_URL_UNSAFE');
    const empty = await api('PATCH', path, { token, body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    const read = await api('GET', path, { token });
    expect(read.body).toMatchObject({ name: 'Renamed', base_url: 'https://dual.example.com/hook' });
    expect(read.body.updated_at).toBe(patched.body.updated_at);
    expect((await api('PATCH', path, { token: otherToken, body: { name: 'Mine' } })).status).toBe(404);
  });

  it('POST …/enable re-enables a disabled target after checking its URL again; enabling is idempotent', async () => {
    const created = await create();
    const path = `/api/ticket-export-targets/${created.body.id}`;
    await api('DELETE', path, { token });
    const enabled = await api('POST', `${path}/enable`, { token, idempotencyKey: `e-${++n}` });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ status: 'active', disabled_at: null, disabled_reason: null });
    const again = await api('POST', `${path}/enable`, { token, idempotencyKey: `e-${++n}` });
    expect(again.status).toBe(200);
    expect(again.body.updated_at).toBe(enabled.body.updated_at);
    expect((await api('GET', path, { token })).body.status).toBe('active');
    expect(
      (await api('POST', `${path}/enable`, { token: otherToken, idempotencyKey: `e-${++n}` })).status,
    ).toBe(404);
    expect((await api('POST', `${path}/enable`, { token })).status).toBe(400); // Idempotency-Key required

    // A disabled target whose name now resolves to a private address stays disabled.
    const moved = await create({ base_url: 'https://mixed.example.com/hook' }).catch(() => undefined);
    expect(moved?.status).toBe(422);
    const rebinding = await create();
    const rpath = `/api/ticket-export-targets/${rebinding.body.id}`;
    await api('PATCH', rpath, { token, body: { name: 'Soon unsafe' } });
    await api('DELETE', rpath, { token });
    DNS['hooks.example.com'] = ['10.0.0.9'];
    try {
      const refused = await api('POST', `${rpath}/enable`, { token, idempotencyKey: `e-${++n}` });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('TARGET_URL_UNSAFE');
      expect((await api('GET', rpath, { token })).body.status).toBe('disabled');
    } finally {
      DNS['hooks.example.com'] = ['93.184.215.14'];
    }
  });
});

describe("a target's deliveries", () => {
  it('lists the exports and events sent to the target, newest first, and follows a retry to another one', async () => {
    const target = (await create()).body;
    const other = (await create({ name: 'Other', events: ['ticket_export'] })).body;
    const approve = async (exportId: string, targetId: string) =>
      api('POST', `/api/ticket-exports/${exportId}/approve`, {
        token,
        idempotencyKey: `approve-${exportId}`,
        body: { target_id: targetId },
      });
    const first = await putPendingExport(stack.db, { accountId });
    const second = await putPendingExport(stack.db, { accountId });
    expect((await approve(first.id, target.id)).status).toBe(202);
    expect((await approve(second.id, target.id)).status).toBe(202);
    // An event for the account's subscribed targets, created the way the dispatcher creates one.
    await notifyEvent(stack.db, {
      type: 'scan_run.failed',
      subject: 'deliveries-list',
      accountId,
      body: (id) => ({ type: 'scan_run.failed', event_id: id }),
    });
    const eventId = eventDeliveryId('scan_run.failed', 'deliveries-list', target.id);

    const list = (q = '') => api('GET', `/api/ticket-export-targets/${target.id}/deliveries${q}`, { token });
    const all = await list();
    expect(all.status).toBe(200);
    // Newest first: the event, then the exports by creation time.
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual([eventId, second.id, first.id]);
    expect(all.body.items[0]).toMatchObject({
      kind: 'event',
      event_type: 'scan_run.failed',
      attempts_url: `/api/event-deliveries/${eventId}/attempts`,
    });
    expect(all.body.items[1]).toEqual({
      kind: 'ticket_export',
      id: second.id,
      event_type: 'ticket_export',
      delivery_id: second.delivery_id,
      status: 'queued',
      round: 1,
      attempts: 0,
      last_error_class: null,
      last_status_code: null,
      next_attempt_at: null,
      failure_reason: null,
      blocked_reason: null,
      delivered_at: null,
      created_at: second.created_at,
      updated_at: expect.any(String),
      attempts_url: `/api/ticket-exports/${second.id}/attempts`,
    });

    // Pages: a cursor continues where the page ended; a made-up one is 422.
    const page1 = await list('?limit=2');
    expect(page1.body.items).toHaveLength(2);
    const page2 = await list(`?limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.items.map((d: { id: string }) => d.id)).toEqual([first.id]);
    const forged = Buffer.from(
      JSON.stringify({ pk: 'ACCOUNT#x', sk: 'ACCOUNT', gsi2pk: 'TARGET#y', gsi2sk: 'z' }),
    ).toString('base64url');
    expect((await list(`?cursor=${forged}`)).status).toBe(422);

    // A retry to another target moves the export to that target's list.
    await stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.table,
        Key: { pk: `EXPORT#${first.id}`, sk: 'EXPORT' },
        UpdateExpression: 'SET #s = :failed',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed' },
      }),
    );
    const retried = await api('POST', `/api/ticket-exports/${first.id}/retry`, {
      token,
      idempotencyKey: `retry-${first.id}`,
      body: { target_id: other.id },
    });
    expect(retried.status).toBe(202);
    expect((await list()).body.items.map((d: { id: string }) => d.id)).toEqual([eventId, second.id]);
    const moved = await api('GET', `/api/ticket-export-targets/${other.id}/deliveries`, { token });
    expect(moved.body.items.map((d: { id: string; round: number }) => [d.id, d.round])).toEqual([
      [first.id, 2],
    ]);

    // Another account's target is a 404, like the target itself.
    const foreign = await api('GET', `/api/ticket-export-targets/${target.id}/deliveries`, {
      token: otherToken,
    });
    expect(foreign.status).toBe(404);
  });
});

describe("recovering a target's exports", () => {
  const setStatus = (exportId: string, status: string, extra = '') =>
    stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.table,
        Key: { pk: `EXPORT#${exportId}`, sk: 'EXPORT' },
        UpdateExpression: `SET #s = :s, updated_at = :u${extra}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':u': new Date().toISOString() },
      }),
    );
  const recover = (targetId: string, body: unknown, key: string, t = token) =>
    api('POST', `/api/ticket-export-targets/${targetId}/recover`, { token: t, idempotencyKey: key, body });

  it('queues every failed or blocked export since the given time again, in one call, with its delivery id', async () => {
    const target = (await create({ name: 'Recovering' })).body;
    const approved = async () => {
      const exp = await putPendingExport(stack.db, { accountId });
      const res = await api('POST', `/api/ticket-exports/${exp.id}/approve`, {
        token,
        idempotencyKey: `approve-${exp.id}`,
        body: { target_id: target.id },
      });
      expect(res.status).toBe(202);
      return exp;
    };
    const before = await approved();
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const failed = await approved();
    const blocked = await approved();
    const delivered = await approved();
    await setStatus(before.id, 'failed');
    await setStatus(failed.id, 'failed');
    await setStatus(blocked.id, 'blocked');
    await setStatus(delivered.id, 'exported');

    const res = await recover(target.id, { since }, 'recover-1');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      target_id: target.id,
      since,
      recovered: [failed.id, blocked.id],
      more: false,
    });
    for (const exp of [failed, blocked]) {
      const got = await api('GET', `/api/ticket-exports/${exp.id}`, { token });
      expect(got.body).toMatchObject({
        status: 'queued',
        attempts: 0,
        delivery_id: exp.delivery_id,
      });
    }
    expect((await api('GET', `/api/ticket-exports/${before.id}`, { token })).body.status).toBe('failed');
    expect((await api('GET', `/api/ticket-exports/${delivered.id}`, { token })).body.status).toBe('exported');

    // The same request again is a replay; a new one finds nothing left to recover.
    const replay = await recover(target.id, { since }, 'recover-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(res.body);
    const again = await recover(target.id, { since }, 'recover-2');
    expect(again.body).toMatchObject({ recovered: [], more: false });

    // An offset in `since` means the same instant.
    const offset = new Date(Date.parse(since)).toISOString().replace('Z', '+00:00');
    expect((await recover(target.id, { since: offset }, 'recover-3')).body.since).toBe(since);
  });

  it('refuses a disabled target (409), another account’s (404) and a bad time (422)', async () => {
    const target = (await create({ name: 'Off' })).body;
    await api('DELETE', `/api/ticket-export-targets/${target.id}`, { token });
    const off = await recover(target.id, { since: '2026-01-01T00:00:00Z' }, 'recover-off');
    expect([off.status, off.body.error.code]).toEqual([409, 'TARGET_NOT_ACTIVE']);
    const live = (await create({ name: 'Live' })).body;
    const foreign = await recover(live.id, { since: '2026-01-01T00:00:00Z' }, 'recover-foreign', otherToken);
    expect(foreign.status).toBe(404);
    const bad = await recover(live.id, { since: 'yesterday' }, 'recover-bad');
    expect([bad.status, bad.body.error.details[0].field]).toEqual([422, 'since']);
  });
});
