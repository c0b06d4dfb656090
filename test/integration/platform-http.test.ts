import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createToken, revokeApiToken } from '../../lib/domain/accounts.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestStack } from '../support/local-stack.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
  const account = await createAccount(stack.db, { name: 'Acme', plan: 'team', credits: 3 });
  token = (await createToken(stack.db, { accountId: account.id })).api_token;
});
afterAll(async () => stack?.stop());

describe('platform over HTTP', () => {
  it('creates a project and reads it back', async () => {
    const created = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'p-1',
      body: { name: 'Site', base_url: 'https://example.test' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/application\/json/);
    const got = await api('GET', `/api/projects/${created.body.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: created.body.id, name: 'Site', base_url: 'https://example.test' });
  });
});
