/** Scanner postback payloads for tests (placeholder values only). */
export const DOCUMENTED_CURL_BODY = (scanRunId: number) =>
  `{"scanRunId":${scanRunId},"status":"completed","page":{"url":"https://example.test","normalizedUrl":"https://example.test/","statusCode":200,"pageType":"home","responseHeaders":{}},"artifacts":{"screenshotPath":"artifacts/example-home.png"},"issues":[]}`;

export function issue(i: number, over: Record<string, unknown> = {}) {
  return {
    category: 'security',
    type: 'missing_header',
    severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5],
    title: `Issue ${i}`,
    description: 'The response lacks a security header.',
    fingerprint: `fp-${String(i).padStart(6, '0')}`,
    confidence: 80,
    evidence: 'Header Content-Security-Policy absent',
    ...over,
  };
}

export function pageEntry(p: number, issuesPerPage: number, offset = 0) {
  return {
    page: {
      url: `https://example.test/p/${p}`,
      normalizedUrl: `https://example.test/p/${p}`,
      statusCode: 200,
      pageType: 'article',
      responseHeaders: { 'content-type': 'text/html' },
    },
    artifacts: { screenshotPath: `artifacts/run/p${p}.png`, htmlSnapshotPath: `artifacts/run/p${p}.html` },
    issues: Array.from({ length: issuesPerPage }, (_, i) => issue(offset + p * issuesPerPage + i)),
  };
}

export function multiPage(
  scanRunId: number,
  pages: number,
  issuesPerPage: number,
  extra: Record<string, unknown> = {},
) {
  return {
    scanRunId,
    status: 'completed',
    pages: Array.from({ length: pages }, (_, p) => pageEntry(p, issuesPerPage)),
    ...extra,
  };
}
