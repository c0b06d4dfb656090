import { describe, expect, it } from 'vitest';
import { createWebRiskOpsClient, idempotencyKey, isErrorEnvelope } from '../../../client/index.ts';

/** A client whose fetch records each request and answers `answer`. */
function recording(answer: { status: number; body: unknown } = { status: 200, body: {} }) {
  const requests: Request[] = [];
  const api = createWebRiskOpsClient({
    baseUrl: 'http://127.0.0.1:3000/',
    token: 'wro_test_token',
    scannerSecret: 'scanner-secret-0123456789',
    fetch: async (request: Request) => {
      requests.push(request);
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    },
  });
  return { api, requests };
}

const headersOf = (r: Request) => Object.fromEntries(r.headers.entries());

describe('createWebRiskOpsClient', () => {
  it('sends the bearer token, and not the scanner secret, to customer operations', async () => {
    const { api, requests } = recording({ status: 201, body: { id: 'prj_1' } });
    await api.POST('/api/projects', {
      params: { header: { 'Idempotency-Key': 'project-example-1' } },
      body: { name: 'Example site', base_url: 'https://example.test' },
    });
    const r = requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('http://127.0.0.1:3000/api/projects');
    expect(headersOf(r)).toEqual({
      accept: 'application/json',
      authorization: 'Bearer wro_test_token',
      'content-type': 'application/json',
      'idempotency-key': 'project-example-1',
    });
    expect(await r.text()).toBe('{"name":"Example site","base_url":"https://example.test"}');
  });

  it('sends the scanner secret, and not the token, to the scanner postback', async () => {
    const { api, requests } = recording({ status: 202, body: {} });
    await api.POST('/api/scanner/results', {
      params: { header: { 'Idempotency-Key': 'scan-run-example-123-attempt-1' } },
      body: { scanRunId: 1, status: 'failed', error: { code: 'TIMEOUT', message: 'Timed out.' } },
    });
    expect(headersOf(requests[0]!)).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-scanner-secret': 'scanner-secret-0123456789',
      'idempotency-key': 'scan-run-example-123-attempt-1',
    });
  });

  it('a GET carries only Accept and the token; a POST without a body has no Content-Type', async () => {
    const { api, requests } = recording();
    await api.GET('/api/ticket-exports/{exportId}', { params: { path: { exportId: 'exp_1' } } });
    await api.POST('/api/projects/{projectId}/scan-runs', {
      params: { path: { projectId: 'prj_1' }, header: { 'Idempotency-Key': 'scan-run-example-1' } },
    });
    expect(requests[0]!.url).toBe('http://127.0.0.1:3000/api/ticket-exports/exp_1');
    expect(headersOf(requests[0]!)).toEqual({
      accept: 'application/json',
      authorization: 'Bearer wro_test_token',
    });
    expect(headersOf(requests[1]!)).toEqual({
      accept: 'application/json',
      authorization: 'Bearer wro_test_token',
      'idempotency-key': 'scan-run-example-1',
    });
  });

  it('sends no credential to the unauthenticated document route', async () => {
    const { api, requests } = recording();
    await api.GET('/api/openapi.json');
    expect(headersOf(requests[0]!)).toEqual({ accept: 'application/json' });
  });

  it('an error answer comes back as `error`, the envelope', async () => {
    const envelope = { error: { code: 'UNAUTHORIZED', message: 'No token.', request_id: 'req_1' } };
    const { api } = recording({ status: 401, body: envelope });
    const res = await api.GET('/api/projects/{projectId}', { params: { path: { projectId: 'prj_1' } } });
    expect(res.response.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.error).toEqual(envelope);
    expect(isErrorEnvelope(res.error)).toBe(true);
    expect(isErrorEnvelope({ received: true })).toBe(false);
  });
});

describe('idempotencyKey', () => {
  it('is new each time and fits the 255-character limit', () => {
    const a = idempotencyKey('approve');
    expect(a).toMatch(/^approve-[0-9a-f-]{36}$/);
    expect(idempotencyKey('approve')).not.toBe(a);
    expect(a.length).toBeLessThanOrEqual(255);
  });
});
