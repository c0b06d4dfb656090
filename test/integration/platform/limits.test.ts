import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount } from '../../../lib/db/accounts-store.ts';
import { consumeRateLimit } from '../../../lib/db/rate-limit-store.ts';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { PLANS } from '../../../lib/domain/plans.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

describe('rate limits', () => {
  it('never admits more than the limit under a concurrent burst (store level)', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, () => consumeRateLimit(stack.db, 'burst-subject', 17, 3600)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(17);
  });

  it('answers 429 RATE_LIMITED with Retry-After and RateLimit headers past the plan limit', async () => {
    const account = await createAccount(stack.db, { name: 'Free', plan: 'free' });
    const token = (await createToken(stack.db, { accountId: account.id })).api_token;
    const limit = PLANS.free.rateLimit;
    const responses = await Promise.all(
      Array.from({ length: limit + 15 }, () =>
        api('GET', '/api/projects/prj_000000000000000000000000', { token }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    // The window may roll over mid-burst, which can only admit more requests, never fewer.
    expect(responses.filter((r) => r.status === 404).length).toBeGreaterThanOrEqual(limit);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThanOrEqual(15);
    const r = limited[0]!;
    expect(r.body.error.code).toBe('RATE_LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(r.headers.get('ratelimit-policy')).toBe(`"default";q=${limit};w=60`);
    expect(r.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    const ok = responses.find((x) => x.status === 404)!;
    expect(ok.headers.get('ratelimit')).toMatch(/^"default";r=\d+;t=\d+$/);
  });
});

describe('scan credits', () => {
  it('never go below zero under concurrent scan-run creation', async () => {
    const account = await createAccount(stack.db, { name: 'Few', plan: 'enterprise', credits: 5 });
    const token = (await createToken(stack.db, { accountId: account.id })).api_token;
    const project = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'p',
      body: { name: 'Site', base_url: 'https://example.test' },
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api('POST', `/api/projects/${project.body.id}/scan-runs`, { token, idempotencyKey: `run-${i}` }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = responses.filter((r) => r.status === 402);
    expect(refused).toHaveLength(15);
    expect(refused[0]?.body.error.code).toBe('SCAN_CREDITS_EXHAUSTED');
    expect((await getAccount(stack.db, account.id))?.scan_credits).toBe(0);
  });
});
