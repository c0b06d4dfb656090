import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { maximalPostback } from '../../support/scanner-fixtures.ts';
import { accountWithProject, scannerPostback } from '../../support/scenario.ts';

/**
 * The three postbacks that were schema-valid yet unstorable (issue 10) against DynamoDB Local, which
 * enforces the 400 KB item limit: each is stored and read back exactly, or refused naming the field.
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const post = (body: unknown, key: string) => scannerPostback(api)(body, key);

describe('postbacks at the limits', () => {
  it('stores every field at its maximum in 4-byte characters and reads it back exactly', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const body = { ...maximalPostback(() => '😀', true), scanRunId: await newScanRun() };
    const res = await post(body, 'maxima-4');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const issues = await api('GET', `/api/scan-runs/${body.scanRunId}/issues`, { token });
    const sent = body.issues[0] as Record<string, unknown>;
    expect(issues.body.items).toHaveLength(1);
    expect(issues.body.items[0]).toMatchObject({
      title: sent.title,
      description: sent.description,
      evidence: sent.evidence,
      business_impact: sent.businessImpact,
      suggested_remediation: sent.suggestedRemediation,
      reproduction_steps: sent.reproductionSteps,
    });
    const pages = await api('GET', `/api/scan-runs/${body.scanRunId}/pages`, { token });
    expect(pages.body.items[0].response_headers).toEqual(body.page.responseHeaders);
  });

  it('keeps header names such as constructor and __proto__ as sent', async () => {
    const { token, newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const raw = `{"scanRunId":${id},"status":"completed","page":{"url":"https://a.test/","normalizedUrl":"https://a.test/","statusCode":200,"pageType":"home","responseHeaders":{"constructor":"c","__proto__":"p","hasOwnProperty":"h"}},"artifacts":{"screenshotPath":"s.png"}}`;
    const res = await post(raw, 'proto-headers');
    expect(res.status).toBe(202);
    const text = await (
      await fetch(`${stack.apiUrl}/api/scan-runs/${id}/pages`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).text();
    expect(text).toContain('"response_headers":{"constructor":"c","__proto__":"p","hasOwnProperty":"h"}');
  });

  it('refuses 60 headers of 8,000 characters (481 KB of item) with 422 naming the field', async () => {
    const { newScanRun } = await accountWithProject(stack.db, api);
    const body = maximalPostback(() => 'a', false);
    body.scanRunId = await newScanRun();
    body.page.responseHeaders = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`x-h${i}`, 'v'.repeat(8000)]),
    );
    const res = await post(body, 'headers-60');
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['page.responseHeaders']);
  });
});
