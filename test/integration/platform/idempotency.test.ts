import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount } from '../../../lib/db/accounts-store.ts';
import { claimIdempotencyKey } from '../../../lib/db/idempotency-store.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

async function accountWithProject(credits = 100) {
  const account = await createAccount(stack.db, { name: 'Acme', plan: 'enterprise', credits });
  const token = (await createToken(stack.db, { accountId: account.id })).api_token;
  const project = await api('POST', '/api/projects', {
    token,
    idempotencyKey: 'project',
    body: { name: 'Site', base_url: 'https://example.test' },
  });
  return { accountId: account.id, token, projectId: project.body.id as string };
}

describe('Idempotency-Key', () => {
  it('is required on state-changing POSTs', async () => {
    const { token, projectId } = await accountWithProject();
    const res = await api('POST', `/api/projects/${projectId}/scan-runs`, { token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('replays the stored response with Idempotent-Replayed: true, executing once', async () => {
    const { accountId, token, projectId } = await accountWithProject(10);
    const first = await api('POST', `/api/projects/${projectId}/scan-runs`, { token, idempotencyKey: 'k1' });
    const again = await api('POST', `/api/projects/${projectId}/scan-runs`, { token, idempotencyKey: 'k1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(9);
  });

  it('refuses the same key with a different body (422 IDEMPOTENCY_KEY_REUSED)', async () => {
    const { token } = await accountWithProject();
    const a = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'same',
      body: { name: 'A', base_url: 'https://a.test' },
    });
    const b = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'same',
      body: { name: 'B', base_url: 'https://b.test' },
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(422);
    expect(b.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('compares the request by meaning: added white space and reordered keys replay, a changed value does not', async () => {
    const { token } = await accountWithProject();
    const send = (rawBody: string) =>
      api('POST', '/api/projects', {
        token,
        idempotencyKey: 'meaning',
        rawBody,
        headers: { 'Content-Type': 'application/json' },
      });
    const first = await send('{"name":"A","base_url":"https://a.test"}');
    expect(first.status).toBe(201);
    const spaced = await send('{ "base_url" : "https://a.test",\n  "name": "A" }');
    expect(spaced.status).toBe(201);
    expect(spaced.headers.get('idempotent-replayed')).toBe('true');
    expect(spaced.body).toEqual(first.body);
    const changed = await send('{"base_url":"https://a.test","name":"B"}');
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the account: another account may use the same key', async () => {
    const one = await accountWithProject();
    const two = await accountWithProject();
    const a = await api('POST', `/api/projects/${one.projectId}/scan-runs`, {
      token: one.token,
      idempotencyKey: 'shared',
    });
    const b = await api('POST', `/api/projects/${two.projectId}/scan-runs`, {
      token: two.token,
      idempotencyKey: 'shared',
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.scan_run_id).not.toBe(a.body.scan_run_id);
  });

  it('does not store validation failures: the caller can fix the body and reuse the key', async () => {
    const { token } = await accountWithProject();
    const bad = await api('POST', '/api/projects', { token, idempotencyKey: 'fixme', body: { name: 'A' } });
    expect(bad.status).toBe(422);
    const good = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'fixme',
      body: { name: 'A', base_url: 'https://a.test' },
    });
    expect(good.status).toBe(201);
  });

  it('stores executed outcomes such as 402 and replays them', async () => {
    const { token, projectId } = await accountWithProject(0);
    const first = await api('POST', `/api/projects/${projectId}/scan-runs`, {
      token,
      idempotencyKey: 'broke',
    });
    expect(first.status).toBe(402);
    expect(first.body.error.code).toBe('SCAN_CREDITS_EXHAUSTED');
    const again = await api('POST', `/api/projects/${projectId}/scan-runs`, {
      token,
      idempotencyKey: 'broke',
    });
    expect(again.status).toBe(402);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('executes the handler exactly once for concurrent requests with one key', async () => {
    const { accountId, token, projectId } = await accountWithProject(50);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        api('POST', `/api/projects/${projectId}/scan-runs`, { token, idempotencyKey: 'race' }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    const inProgress = responses.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(responses.length);
    expect(new Set(created.map((r) => r.body.scan_run_id)).size).toBe(1);
    for (const r of inProgress) {
      expect(r.body.error.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await getAccount(stack.db, accountId))?.scan_credits).toBe(49);
    // A rejected duplicate never releases the original's claim: the key still replays the one outcome.
    const after = await api('POST', `/api/projects/${projectId}/scan-runs`, {
      token,
      idempotencyKey: 'race',
    });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.body.scan_run_id).toBe(created[0]?.body.scan_run_id);
  });

  it('lets a crashed request’s claim go after the lock time', async () => {
    const key = { pk: 'IDEMPOTENCY#acc_crash#projects.create#k', sk: 'IDEMPOTENCY' };
    const opts = { ttlSeconds: 86400, lockSeconds: 30 };
    const t0 = Date.now();
    expect((await claimIdempotencyKey(stack.db, key, 'fp', { ...opts, nowMs: t0 })).kind).toBe('claimed');
    expect((await claimIdempotencyKey(stack.db, key, 'fp', { ...opts, nowMs: t0 + 10_000 })).kind).toBe(
      'in_progress',
    );
    expect((await claimIdempotencyKey(stack.db, key, 'fp', { ...opts, nowMs: t0 + 31_000 })).kind).toBe(
      'claimed',
    );
  });
});
