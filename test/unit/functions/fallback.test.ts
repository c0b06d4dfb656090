import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/fallback.ts';
import { httpEvent } from '../http/harness.ts';

/** What API Gateway's `$default` route answers (no CORS origin configured, or another method). */
describe('fallback function', () => {
  it('405 with Allow for a known path and another method, in the JSON envelope', async () => {
    const res = await handler(httpEvent({ method: 'PUT', path: '/api/projects' }));
    expect(res.statusCode).toBe(405);
    expect(res.headers?.Allow).toBe('POST, GET, HEAD, OPTIONS');
    expect(JSON.parse(res.body as string).error).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      request_id: 'req-1',
    });
  });

  it('204 with Allow for OPTIONS on a known path (a preflight API Gateway did not answer)', async () => {
    const res = await handler(
      httpEvent({ method: 'OPTIONS', path: '/api/projects/prj_0123456789abcdef01234567' }),
    );
    expect(res.statusCode).toBe(204);
    expect(res.headers?.Allow).toBe('GET, HEAD, OPTIONS');
  });

  it('405 for another method on the scan report path, which takes GET only', async () => {
    const res = await handler(httpEvent({ method: 'POST', path: '/api/scan-runs/12/report' }));
    expect(res.statusCode).toBe(405);
    expect(res.headers?.Allow).toBe('GET, HEAD, OPTIONS');
  });

  it('404 NOT_FOUND for an unknown path and for a path parameter that is not valid percent-encoding', async () => {
    for (const path of ['/api/nothing', '/api/projects/%E0%A4%A']) {
      const res = await handler(httpEvent({ method: 'GET', path }));
      expect(res.statusCode, path).toBe(404);
      expect(JSON.parse(res.body as string).error.code).toBe('NOT_FOUND');
    }
  });
});
