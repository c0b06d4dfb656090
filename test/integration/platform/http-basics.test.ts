import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createToken, revokeApiToken } from '../../../lib/domain/accounts.ts';
import { ROUTES } from '../../../lib/http/routes.ts';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;
let otherToken: string;
let accountId: string;

beforeAll(async () => {
  stack = await startTestStack({ workers: false, env: { WRO_CORS_ORIGINS: 'https://app.example.test' } });
  api = apiClient(stack.apiUrl);
  const account = await createAccount(stack.db, { name: 'Acme', plan: 'team', credits: 3 });
  accountId = account.id;
  token = (await createToken(stack.db, { accountId })).api_token;
  const other = await createAccount(stack.db, { name: 'Other', plan: 'team' });
  otherToken = (await createToken(stack.db, { accountId: other.id })).api_token;
});
afterAll(async () => stack?.stop());

const newProject = (t = token, key = `p-${Math.random()}`) =>
  api('POST', '/api/projects', {
    token: t,
    idempotencyKey: key,
    body: { name: 'Site', base_url: 'https://example.test' },
  });

describe('projects and scan runs', () => {
  it('creates a project and reads it back, as JSON with a request id', async () => {
    const created = await newProject();
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.headers.get('x-request-id')).toBeTruthy();
    expect(created.body).toMatchObject({ name: 'Site', base_url: 'https://example.test' });
    expect(created.body.id).toMatch(/^prj_/);
    const got = await api('GET', `/api/projects/${created.body.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it('creates a scan run with an integer id, reserving a credit, and reads it', async () => {
    const project = await newProject();
    const run = await api('POST', `/api/projects/${project.body.id}/scan-runs`, {
      token,
      idempotencyKey: 'run-1',
    });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: 'queued', project_id: project.body.id });
    expect(Number.isInteger(run.body.scan_run_id)).toBe(true);
    const got = await api('GET', `/api/scan-runs/${run.body.scan_run_id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      scan_run_id: run.body.scan_run_id,
      status: 'queued',
      counters: null,
      error: null,
    });
  });

  it('validates bodies naming each field, and answers 415 for a non-JSON body', async () => {
    const bad = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'v-1',
      body: { name: '', base_url: 'ftp://x' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'base_url',
      'name',
    ]);
    const text = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'v-2',
      rawBody: 'name=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over 6 MB', async () => {
    const res = await api('POST', '/api/projects', {
      token,
      idempotencyKey: 'big-1',
      body: { name: 'x'.repeat(6 * 1024 * 1024), base_url: 'https://example.test' },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 NOT_FOUND as JSON for an unknown route and unknown ids', async () => {
    expect((await api('GET', '/api/nope', { token })).body.error.code).toBe('NOT_FOUND');
    expect((await api('GET', '/api/projects/prj_000000000000000000000000', { token })).status).toBe(404);
    expect((await api('GET', '/api/scan-runs/abc', { token })).status).toBe(404);
    expect((await api('GET', '/api/scan-runs/999999', { token })).status).toBe(404);
  });
});

describe('authentication and tenancy', () => {
  it('missing, malformed, invalid and revoked tokens are 401 UNAUTHORIZED', async () => {
    const project = await newProject();
    const path = `/api/projects/${project.body.id}`;
    expect((await api('GET', path)).status).toBe(401);
    expect((await api('GET', path, { headers: { Authorization: `Basic ${token}` } })).status).toBe(401);
    const invalid = await api('GET', path, { token: 'wro_not-a-real-token' });
    expect(invalid.status).toBe(401);
    expect(invalid.body.error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(invalid.body.error.request_id).toBeTruthy();
    const extra = await createToken(stack.db, { accountId });
    expect((await api('GET', path, { token: extra.api_token })).status).toBe(200);
    await revokeApiToken(stack.db, extra.api_token);
    expect((await api('GET', path, { token: extra.api_token })).status).toBe(401);
  });

  it('a token without the needed scope is 403 FORBIDDEN', async () => {
    const readOnly = await createToken(stack.db, { accountId, scopes: ['projects:read'] });
    const res = await newProject(readOnly.api_token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it("another account's project and scan run are 404, never 403", async () => {
    const project = await newProject();
    const run = await api('POST', `/api/projects/${project.body.id}/scan-runs`, {
      token,
      idempotencyKey: 'x-run',
    });
    expect((await api('GET', `/api/projects/${project.body.id}`, { token: otherToken })).status).toBe(404);
    expect((await api('GET', `/api/scan-runs/${run.body.scan_run_id}`, { token: otherToken })).status).toBe(
      404,
    );
    const foreign = await api('POST', `/api/projects/${project.body.id}/scan-runs`, {
      token: otherToken,
      idempotencyKey: 'x-run-2',
    });
    expect(foreign.status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document listing every route, without auth', async () => {
    const res = await api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(res.body));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    for (const route of ROUTES) {
      expect(
        res.body.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });
});

describe('HTTP conventions (RFC 9110, RFC 6750)', () => {
  it('a 401 on a bearer route carries a Bearer challenge: plain without a token, invalid_token for a refused one', async () => {
    const none = await api('GET', '/api/ticket-export-targets');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="webriskops"');
    const bad = await api('GET', '/api/ticket-export-targets', { token: 'wro_not-a-real-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="webriskops", error="invalid_token"');
    const scanner = await api('POST', '/api/scanner/results', { body: {}, idempotencyKey: 'k' });
    expect(scanner.status).toBe(401);
    expect(scanner.headers.get('www-authenticate')).toBeNull();
  });

  it('authenticated answers are never cached and never sniffed; the public document is only not sniffed', async () => {
    const created = await newProject();
    const read = await api('GET', `/api/projects/${created.body.id}`, { token });
    for (const res of [created, read, await api('GET', '/api/ticket-export-targets')]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const doc = await api('GET', '/api/openapi.json');
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    expect(doc.headers.get('cache-control')).toBeNull();
  });
});

/** One request over node:http: the bytes as sent, never decompressed (unlike fetch). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(stack.apiUrl + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression', () => {
  const varies = (h: IncomingHttpHeaders) =>
    String(h.vary ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase());

  it('sends a large answer as gzip or br when accepted, decoding to the uncompressed document', async () => {
    const plain = await raw('GET', '/api/openapi.json', { 'Accept-Encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(varies(plain.headers)).toContain('accept-encoding');
    expect(plain.headers['content-length']).toBe(String(plain.body.length));
    const document = JSON.parse(plain.body.toString('utf8'));
    expect(document.openapi).toBe('3.1.0');
    const decoders = { gzip: gunzipSync, br: brotliDecompressSync };
    for (const coding of ['gzip', 'br'] as const) {
      const res = await raw('GET', '/api/openapi.json', { 'Accept-Encoding': coding });
      expect(res.status, coding).toBe(200);
      expect(res.headers['content-encoding'], coding).toBe(coding);
      expect(varies(res.headers), coding).toContain('accept-encoding');
      expect(res.headers['content-type'], coding).toMatch(/^application\/json/);
      expect(res.headers['content-length'], coding).toBe(String(res.body.length));
      expect(res.body.length, coding).toBeLessThan(plain.body.length / 3);
      expect(JSON.parse(decoders[coding](res.body).toString('utf8')), coding).toEqual(document);
    }
  });

  it('HEAD with Accept-Encoding declares the Content-Length of the compressed GET', async () => {
    const get = await raw('GET', '/api/openapi.json', { 'Accept-Encoding': 'gzip' });
    const head = await raw('HEAD', '/api/openapi.json', { 'Accept-Encoding': 'gzip' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(varies(head.headers)).toContain('accept-encoding');
    expect(head.headers['content-length']).toBe(String(get.body.length));
  });
});

describe('methods, HEAD and CORS', () => {
  it('a known path with another method is 405 with Allow; an unknown path or a malformed id is a JSON 404', async () => {
    const put = await api('PUT', '/api/projects', { token });
    expect(put.status).toBe(405);
    expect(put.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toBe('POST, GET, HEAD, OPTIONS');
    const del = await api('DELETE', '/api/projects/prj_0123456789abcdef01234567', { token });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const none = await api('GET', '/api/nothing-here');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('NOT_FOUND');
    for (const path of ['/api/projects/%E0%A4%A', '/api/projects/%', '/api/scan-runs/%C3%28']) {
      const bad = await api('GET', path, { token });
      expect(bad.status, path).toBe(404);
      expect(bad.body.error.code, path).toBe('NOT_FOUND');
    }
  });

  it('HEAD answers like GET, without a body', async () => {
    const created = await newProject();
    const path = `/api/projects/${created.body.id}`;
    const get = await fetch(stack.apiUrl + path, { headers: { Authorization: `Bearer ${token}` } });
    const getBody = await get.text();
    const head = await fetch(stack.apiUrl + path, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(head.headers.get('content-type')).toBe('application/json');
    const missing = await fetch(`${stack.apiUrl}/api/projects/prj_ffffffffffffffffffffffff`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });

  it('answers preflights for every route; CORS headers only for a configured origin', async () => {
    const preflight = (origin: string, path = '/api/projects') =>
      fetch(stack.apiUrl + path, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
    const ok = await preflight('https://app.example.test');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, GET, HEAD, OPTIONS');
    const other = await preflight('https://evil.example.test');
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const res = await api('GET', '/api/openapi.json', { headers: { Origin: 'https://app.example.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(res.headers.get('access-control-expose-headers')).toContain('RateLimit');
    const denied = await api('GET', '/api/openapi.json', {
      headers: { Origin: 'https://evil.example.test' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});
