import { describe, expect, it } from 'vitest';
import { parseScannerResult } from '../../../lib/domain/scanner-validate.ts';
import { ValidationError } from '../../../lib/errors.ts';
import { DOCUMENTED_CURL_BODY, multiPage } from '../../support/scanner-fixtures.ts';

const base = () => JSON.parse(DOCUMENTED_CURL_BODY(123));
const fields = (value: unknown): string[] => {
  try {
    parseScannerResult(value);
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return (err.details ?? []).map((d) => d.field);
  }
};
const withIssue = (over: Record<string, unknown>) => {
  const b = base();
  b.issues = [{ ...multiPage(1, 1, 1).pages[0]!.issues[0], ...over }];
  return b;
};

describe('scanner result validation', () => {
  it('accepts the documented payload, a multi-page payload with counters, and a failed payload', () => {
    expect(fields(base())).toEqual([]);
    expect(
      fields(
        multiPage(1, 3, 2, { counters: { pagesScanned: 3, issuesCount: 6, highCount: 1, riskScore: 42 } }),
      ),
    ).toEqual([]);
    expect(
      fields({
        scanRunId: 9,
        status: 'failed',
        error: { code: 'TIMEOUT', message: 'Timed out', url: 'https://example.test/', timeoutMs: 30000 },
      }),
    ).toEqual([]);
  });

  const cases: [string, (b: any) => unknown, string[]][] = [
    ['scanRunId as a string', (b) => ({ ...b, scanRunId: '123' }), ['scanRunId']],
    ['scanRunId 1.5', (b) => ({ ...b, scanRunId: 1.5 }), ['scanRunId']],
    ['scanRunId 0', (b) => ({ ...b, scanRunId: 0 }), ['scanRunId']],
    ['scanRunId true', (b) => ({ ...b, scanRunId: true }), ['scanRunId']],
    ['scanRunId missing', ({ scanRunId: _, ...b }) => b, ['scanRunId']],
    ['unknown status', (b) => ({ ...b, status: 'done' }), ['status']],
    ['neither page nor pages', ({ page: _, ...b }) => b, ['page']],
    ['both page and pages', (b) => ({ ...b, pages: multiPage(1, 1, 0).pages }), ['pages']],
    ['relative page.url', (b) => ({ ...b, page: { ...b.page, url: '/home' } }), ['page.url']],
    [
      'ftp normalizedUrl',
      (b) => ({ ...b, page: { ...b.page, normalizedUrl: 'ftp://example.test/' } }),
      ['page.normalizedUrl'],
    ],
    ['statusCode 600', (b) => ({ ...b, page: { ...b.page, statusCode: 600 } }), ['page.statusCode']],
    ['statusCode "200"', (b) => ({ ...b, page: { ...b.page, statusCode: '200' } }), ['page.statusCode']],
    ['unknown pageType', (b) => ({ ...b, page: { ...b.page, pageType: 'spaceship' } }), ['page.pageType']],
    [
      'missing responseHeaders',
      (b) => ({ ...b, page: { ...b.page, responseHeaders: undefined } }),
      ['page.responseHeaders'],
    ],
    [
      'non-string header value',
      (b) => ({ ...b, page: { ...b.page, responseHeaders: { 'x-n': 1 } } }),
      ['page.responseHeaders.x-n'],
    ],
    [
      'negative consoleErrorsCount',
      (b) => ({ ...b, page: { ...b.page, consoleErrorsCount: -1 } }),
      ['page.consoleErrorsCount'],
    ],
    [
      'fractional networkErrorsCount',
      (b) => ({ ...b, page: { ...b.page, networkErrorsCount: 1.5 } }),
      ['page.networkErrorsCount'],
    ],
    ['missing artifacts', ({ artifacts: _, ...b }) => b, ['artifacts.screenshotPath']],
    ['missing screenshotPath', (b) => ({ ...b, artifacts: {} }), ['artifacts.screenshotPath']],
    [
      'inline screenshot (data: URI)',
      (b) => ({ ...b, artifacts: { screenshotPath: 'data:image/png;base64,iVBORw0KGgo=' } }),
      ['artifacts.screenshotPath'],
    ],
    [
      'absolute screenshot path',
      (b) => ({ ...b, artifacts: { screenshotPath: '/etc/passwd.png' } }),
      ['artifacts.screenshotPath'],
    ],
    [
      'screenshot URL',
      (b) => ({ ...b, artifacts: { screenshotPath: 'https://cdn.example.test/a.png' } }),
      ['artifacts.screenshotPath'],
    ],
    [
      '.. in a path',
      (b) => ({ ...b, artifacts: { screenshotPath: 'artifacts/../../secret.png' } }),
      ['artifacts.screenshotPath'],
    ],
    [
      'inline HTML snapshot',
      (b) => ({
        ...b,
        artifacts: { screenshotPath: 'a/b.png', htmlSnapshotPath: '<html><body>x</body></html>' },
      }),
      ['artifacts.htmlSnapshotPath'],
    ],
    [
      'wrong screenshot extension',
      (b) => ({ ...b, artifacts: { screenshotPath: 'a/b.exe' } }),
      ['artifacts.screenshotPath'],
    ],
    ['issue confidence 101', () => withIssue({ confidence: 101 }), ['issues.0.confidence']],
    ['issue confidence -1', () => withIssue({ confidence: -1 }), ['issues.0.confidence']],
    ['unknown severity', () => withIssue({ severity: 'urgent' }), ['issues.0.severity']],
    ['unknown category', () => withIssue({ category: 'vibes' }), ['issues.0.category']],
    [
      'fingerprint with spaces',
      () => withIssue({ fingerprint: 'has spaces here' }),
      ['issues.0.fingerprint'],
    ],
    ['fingerprint too short', () => withIssue({ fingerprint: 'abc' }), ['issues.0.fingerprint']],
    ['missing evidence', () => withIssue({ evidence: undefined }), ['issues.0.evidence']],
    [
      'issue screenshot data: URI',
      () => withIssue({ screenshotPath: 'data:image/png;base64,AAAA' }),
      ['issues.0.screenshotPath'],
    ],
    [
      'failed without error.message',
      () => ({ scanRunId: 1, status: 'failed', error: { code: 'X' } }),
      ['error.message'],
    ],
    ['failed without error', () => ({ scanRunId: 1, status: 'failed' }), ['error']],
    [
      'negative timeoutMs',
      () => ({ scanRunId: 1, status: 'failed', error: { code: 'X', message: 'm', timeoutMs: -5 } }),
      ['error.timeoutMs'],
    ],
  ];
  it.each(cases)('%s → names the field', (_name, mutate, expected) => {
    expect(fields(mutate(base()))).toEqual(expected);
  });

  it('names a nested field of pages[] by its full path', () => {
    const b = multiPage(1, 5, 2);
    (b.pages[3]!.issues[0] as Record<string, unknown>).confidence = 150;
    (b.pages[1]!.page as Record<string, unknown>).statusCode = 42;
    expect(fields(b).sort()).toEqual(['pages.1.page.statusCode', 'pages.3.issues.0.confidence']);
  });

  it('names every offending field even when several rules fail at once', () => {
    expect(fields({ scanRunId: '7', status: 'done' }).sort()).toEqual(['scanRunId', 'status']);
    const b = base();
    delete b.artifacts;
    b.page.statusCode = 99;
    expect(fields(b).sort()).toEqual(['artifacts.screenshotPath', 'page.statusCode']);
    const both = { ...base(), pages: multiPage(1, 1, 0).pages, scanRunId: 0 };
    expect(fields(both).sort()).toEqual(['pages', 'scanRunId']);
    const m = multiPage(1, 2, 1) as any;
    delete m.pages[1].artifacts;
    expect(fields(m)).toEqual(['pages.1.artifacts.screenshotPath']);
  });

  it('ignores unknown fields and never keeps them', () => {
    const parsed = parseScannerResult({
      ...base(),
      surprise: 'x',
      page: { ...base().page, extra: 1 },
    });
    expect(JSON.stringify(parsed)).not.toContain('surprise');
    expect(JSON.stringify(parsed)).not.toContain('extra');
  });
});

describe('fingerprints and artifact paths that hold a secret', () => {
  /* Fake secrets are assembled from pieces at test time (see test/unit/sanitize/secret-rules.test.ts). */
  const j = (...parts: string[]) => parts.join('');
  const ghp = j('gh', 'p_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5');
  const akid = j('AK', 'IA', 'QWERTYUIOPASDFGH');
  const stripe = j('sk', '_live_', 'Zx8Cv7Bn6Mq5Wl4Er3Ty2Ui1');
  const refusal = (value: unknown) => {
    try {
      parseScannerResult(value);
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('refuses them with 422 VALIDATION_FAILED naming each field by its path, never the value', () => {
    const b = withIssue({ fingerprint: j('leak:', akid), screenshotPath: j('shots/', ghp, '.png') });
    b.artifacts = {
      screenshotPath: j('artifacts/', ghp, '.png'),
      htmlSnapshotPath: j('snap/', stripe, '.html'),
    };
    const err = refusal(b);
    expect([err.status, err.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(err.details).toEqual([
      { field: 'artifacts.screenshotPath', message: expect.stringContaining('github_token') },
      { field: 'artifacts.htmlSnapshotPath', message: expect.stringContaining('stripe_key') },
      { field: 'issues.0.fingerprint', message: expect.stringContaining('aws_access_key_id') },
      { field: 'issues.0.screenshotPath', message: expect.stringContaining('github_token') },
    ]);
    for (const secret of [ghp, akid, stripe]) expect(JSON.stringify(err.details)).not.toContain(secret);
  });

  it('names fields inside pages[] by their full path', () => {
    const m = multiPage(1, 5, 2) as any;
    m.pages[3].issues[1].screenshotPath = j('shots/p3/', ghp, '.webp');
    m.pages[2].issues[0].fingerprint = j('fp-', stripe);
    m.pages[4].artifacts.htmlSnapshotPath = j('html/', akid, '.html');
    expect(fields(m).sort()).toEqual([
      'pages.2.issues.0.fingerprint',
      'pages.3.issues.1.screenshotPath',
      'pages.4.artifacts.htmlSnapshotPath',
    ]);
  });

  it('names them beside the schema errors of the same postback', () => {
    const b = withIssue({ fingerprint: j('fp:', ghp), confidence: 101 });
    expect(fields(b).sort()).toEqual(['issues.0.confidence', 'issues.0.fingerprint']);
  });

  it('accepts look-alikes: finding names, short prefixes, hashes and ids', () => {
    const ok = [
      'missing-csrf-token:login-form',
      'exposed-api-key:home:3f786850e387',
      'secret-key-leak:a1b2c3d4e5f6',
      'password-field-autocomplete:signup',
      j('fp-gh', 'p_-token-in-js'),
      '3f786850e387550fdab836ed7e6dc881de23001b',
      'fp-1700000000123',
    ];
    for (const fingerprint of ok) expect(fields(withIssue({ fingerprint })), fingerprint).toEqual([]);
    const b = base();
    b.artifacts = {
      screenshotPath: j('artifacts/gh', 'p_short/', 'AK', 'IA-docs.png'),
      htmlSnapshotPath: 'runs/1700000000123/550e8400-e29b-41d4-a716-446655440000.html',
    };
    expect(fields(b)).toEqual([]);
  });

  it('leaves a failed postback alone (its stripped fields are never stored)', () => {
    expect(
      fields({
        scanRunId: 9,
        status: 'failed',
        error: { code: 'X', message: 'm' },
        issues: [{ fingerprint: ghp }],
      }),
    ).toEqual([]);
  });
});
