import { connect } from 'node:net';
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

/** Sends raw bytes to the local gateway and reads the answer until the server closes the connection. */
function rawRequest(
  bytes: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(stack.apiUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(bytes);
  });
}

describe('requests Node refuses before any route (local gateway)', () => {
  const expectEnvelope = (r: Awaited<ReturnType<typeof rawRequest>>, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers.connection).toBe('close');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    const body = JSON.parse(r.body) as { error: { code: string; message: string; request_id: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.request_id).toBe(r.headers['x-request-id']);
    expect(body.error.request_id).toMatch(/^[0-9a-f-]{36}$/);
  };

  it('answers headers over the limit with 431 REQUEST_HEADERS_TOO_LARGE in the JSON envelope', async () => {
    const r = await rawRequest(
      `GET /api/projects HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
    );
    expectEnvelope(r, 431, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('answers a bad Content-Length with 400 BAD_REQUEST in the JSON envelope', async () => {
    for (const length of ['abc', '5, 6', '-1']) {
      const r = await rawRequest(
        `POST /api/scanner/results HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{}`,
      );
      expectEnvelope(r, 400, 'BAD_REQUEST');
    }
  });
});
