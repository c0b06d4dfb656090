import { LIMITS } from '../../lib/schemas/scanner-results.ts';

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

/** Characters of 1, 2, 3 and 4 UTF-8 bytes; each counts as one character for the limits. */
export const MAXIMA_CHARS = ['a', 'é', '€', '😀'] as const;
const fill = (c: string, n: number) => c.repeat(n);

/**
 * A completed postback with one page and one issue, every field at its maximum, each field filled with
 * the character `c(field)` gives: the largest items a postback can make.
 */
export function maximalPostback(c: (field: string) => string, listSteps: boolean) {
  const url = `https://example.test/${fill(c('url'), 2048 - 21)}`;
  const headers: Record<string, string> = {};
  // As many bytes as allowed: 8 names of 256 characters with values that fill the byte budget.
  const name = (i: number) => `${i}${fill(c('hname'), LIMITS.headerName - 1)}`;
  let left = LIMITS.headerBytes;
  for (let i = 0; i < 8 && left > 0; i++) {
    const n = name(i);
    if (Buffer.byteLength(n) > left) break;
    left -= Buffer.byteLength(n);
    const unit = Buffer.byteLength(c('hvalue'));
    const chars = Math.max(0, Math.min(LIMITS.headerValue, Math.floor(left / unit)));
    headers[n] = fill(c('hvalue'), chars);
    left -= chars * unit;
  }
  return {
    scanRunId: 9007199254740991,
    status: 'completed',
    page: {
      url,
      normalizedUrl: url,
      statusCode: 599,
      pageType: 'checkout',
      responseHeaders: headers,
      consoleErrorsCount: 1_000_000_000,
      networkErrorsCount: 1_000_000_000,
    },
    artifacts: {
      screenshotPath: `${fill('a', 508)}.png`,
      htmlSnapshotPath: `${fill('b', 506)}.mhtml`,
    },
    issues: [
      {
        category: 'best_practices',
        type: fill(c('type'), 100),
        severity: 'critical',
        title: fill(c('title'), 300),
        description: fill(c('description'), 10_000),
        fingerprint: fill('f', 128),
        confidence: 99.999,
        evidence: fill(c('evidence'), 20_000),
        businessImpact: fill(c('impact'), 5000),
        suggestedRemediation: fill(c('remediation'), 10_000),
        reproductionSteps: listSteps
          ? Array.from({ length: 50 }, () => fill(c('steps'), LIMITS.reproductionStep))
          : fill(c('steps'), 10_000),
        screenshotPath: `${fill('c', 508)}.png`,
      },
    ],
  };
}
